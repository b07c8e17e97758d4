package dev.switchboard.adapter.openvpn.internal.management;

import java.util.Map;

/** A real-time message of OpenVPN's management interface (a line, or a block of lines, starting with {@code >}). */
public sealed interface Notification {

    /** What a {@code >CLIENT:} block announces. */
    enum ClientEventKind {
        CONNECT, REAUTH, ESTABLISHED, DISCONNECT
    }

    /**
     * {@code >CLIENT:CONNECT|REAUTH,{CID},{KID}}, {@code >CLIENT:ESTABLISHED,{CID}} or
     * {@code >CLIENT:DISCONNECT,{CID}} with the {@code >CLIENT:ENV} lines that follow it.
     *
     * @param kid -1 where the notification has none
     */
    record ClientEvent(ClientEventKind kind, long cid, long kid, Map<String, String> env) implements Notification {

        public String env(String name) {
            return env.get(name);
        }

        /** Never the password: the environment carries it in clear. */
        @Override
        public String toString() {
            return kind + " cid " + cid + (kid >= 0 ? " kid " + kid : "") + " user " + env.get("username");
        }
    }

    /** {@code >BYTECOUNT_CLI:{CID},{IN},{OUT}} on a server: cumulative bytes received from and sent to a client. */
    record ClientBytes(long cid, long received, long sent) implements Notification {
    }

    /** {@code >BYTECOUNT:{IN},{OUT}} on a client: cumulative bytes received from and sent to the server. */
    record Bytes(long received, long sent) implements Notification {
    }

    /**
     * {@code >STATE:{time},{name},{description},{local address},...} on a client, or a line of the {@code state}
     * command's answer.
     *
     * @param time when OpenVPN entered the state, seconds since the epoch
     */
    record State(long time, String name, String description, String localAddress) implements Notification {

        /** A {@code state} answer line: the fields after {@code >STATE:}. */
        public static State parse(String text) {
            String[] f = text.split(",", -1);
            if (f.length < 2) {
                throw new IllegalArgumentException("a state without a name: " + text);
            }
            long time;
            try {
                time = Long.parseLong(f[0].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a state without a time: " + text, e);
            }
            return new State(time, f[1], f.length > 2 ? f[2] : "", f.length > 3 ? f[3] : "");
        }
    }

    /** A message the adapters need not act on ({@code >INFO:}, {@code >LOG:}, {@code >CLIENT:ADDRESS}, ...). */
    record Known(String source, String text) implements Notification {
    }

    /** A message this adapter does not know: logged once per source, ignored. */
    record Unknown(String source, String line) implements Notification {
    }
}

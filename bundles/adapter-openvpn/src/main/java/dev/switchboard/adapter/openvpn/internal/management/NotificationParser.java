package dev.switchboard.adapter.openvpn.internal.management;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.switchboard.adapter.openvpn.internal.management.Notification.Bytes;
import dev.switchboard.adapter.openvpn.internal.management.Notification.ClientBytes;
import dev.switchboard.adapter.openvpn.internal.management.Notification.ClientEvent;
import dev.switchboard.adapter.openvpn.internal.management.Notification.ClientEventKind;
import dev.switchboard.adapter.openvpn.internal.management.Notification.Known;
import dev.switchboard.adapter.openvpn.internal.management.Notification.State;
import dev.switchboard.adapter.openvpn.internal.management.Notification.Unknown;

/**
 * Turns the {@code >} lines of the management interface into notifications. A {@code >CLIENT:} block
 * (its header, {@code >CLIENT:ENV} lines, {@code >CLIENT:ENV,END}) is atomic in OpenVPN's output, so one
 * block is collected at a time. Not thread-safe: one reader feeds it.
 */
public final class NotificationParser {

    /** Sources of the management notes that the adapters read past. */
    private static final Set<String> KNOWN = Set.of("INFO", "LOG", "HOLD", "ECHO", "FATAL", "NEED-OK", "NEED-STR",
            "PASSWORD", "INFOMSG", "NOTIFY", "RSA_SIGN", "PK_SIGN", "NEED-CERTIFICATE", "REMOTE", "PROXY", "UPDOWN");

    private ClientEventKind blockKind;
    private long blockCid;
    private long blockKid;
    private Map<String, String> blockEnv;

    /**
     * @param line a line that starts with {@code >}
     * @return the notification it completes, or {@code null} while a {@code >CLIENT:} block is open
     * @throws IllegalArgumentException when a known message is malformed
     */
    public Notification parse(String line) {
        int colon = line.indexOf(':');
        String source = colon > 1 ? line.substring(1, colon) : line.substring(1);
        String text = colon > 1 ? line.substring(colon + 1) : "";
        return switch (source) {
            case "CLIENT" -> client(text, line);
            case "BYTECOUNT_CLI" -> {
                long[] n = numbers(text, 3, line);
                yield new ClientBytes(n[0], n[1], n[2]);
            }
            case "BYTECOUNT" -> {
                long[] n = numbers(text, 2, line);
                yield new Bytes(n[0], n[1]);
            }
            case "STATE" -> State.parse(text);
            default -> KNOWN.contains(source) ? new Known(source, text) : new Unknown(source, line);
        };
    }

    private Notification client(String text, String line) {
        if (text.startsWith("ENV,")) {
            if (blockEnv == null) {
                throw new IllegalArgumentException("a CLIENT:ENV line outside a CLIENT block: " + line);
            }
            String pair = text.substring(4);
            if (pair.equals("END")) {
                ClientEvent event = new ClientEvent(blockKind, blockCid, blockKid, Map.copyOf(blockEnv));
                blockEnv = null;
                return event;
            }
            int equals = pair.indexOf('=');
            if (equals > 0) {
                blockEnv.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
            return null;
        }
        String[] f = text.split(",", -1);
        ClientEventKind kind = switch (f[0]) {
            case "CONNECT" -> ClientEventKind.CONNECT;
            case "REAUTH" -> ClientEventKind.REAUTH;
            case "ESTABLISHED" -> ClientEventKind.ESTABLISHED;
            case "DISCONNECT" -> ClientEventKind.DISCONNECT;
            default -> null;
        };
        if (kind == null) {
            return f[0].equals("ADDRESS") || f[0].equals("CR_RESPONSE") ? new Known("CLIENT", text)
                    : new Unknown("CLIENT:" + f[0], line);
        }
        boolean withKey = kind == ClientEventKind.CONNECT || kind == ClientEventKind.REAUTH;
        if (f.length != (withKey ? 3 : 2)) {
            throw new IllegalArgumentException("a CLIENT:" + f[0] + " line with " + (f.length - 1) + " fields: " + line);
        }
        blockKind = kind;
        blockCid = number(f[1], line);
        blockKid = withKey ? number(f[2], line) : -1;
        blockEnv = new LinkedHashMap<>();
        return null;
    }

    private static long[] numbers(String text, int count, String line) {
        String[] f = text.split(",", -1);
        if (f.length != count) {
            throw new IllegalArgumentException("expected " + count + " numbers: " + line);
        }
        long[] n = new long[count];
        for (int i = 0; i < count; i++) {
            n[i] = number(f[i], line);
        }
        return n;
    }

    private static long number(String field, String line) {
        try {
            long n = Long.parseLong(field.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException("not a count: " + field + " in " + line);
    }
}

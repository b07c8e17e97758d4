package dev.switchboard.adapter.socks.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** SOCKS clients for tests: the JDK's own (java.net.Proxy) and raw bytes for malformed input. */
public final class Socks {

    private static final Map<Integer, PasswordAuthentication> CREDENTIALS = new ConcurrentHashMap<>();

    static {
        // the JDK's SOCKS client asks the default Authenticator for RFC 1929 credentials
        Authenticator.setDefault(new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return CREDENTIALS.get(getRequestingPort());
            }
        });
    }

    private Socks() {
    }

    /** The credentials the JDK's SOCKS client sends to the proxy on {@code proxyPort}. */
    public static void credentials(int proxyPort, String user, String password) {
        CREDENTIALS.put(proxyPort, new PasswordAuthentication(user, password.toCharArray()));
    }

    public static Proxy proxy(int proxyPort) {
        return new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", proxyPort));
    }

    /** A socket connected to {@code target} through the proxy on {@code proxyPort}. */
    public static Socket connect(int proxyPort, SocketAddress target) throws IOException {
        Socket socket = new Socket(proxy(proxyPort));
        socket.setSoTimeout(30_000);
        socket.connect(target, 30_000);
        return socket;
    }

    /** Sends {@code n} random bytes through {@code socket} to an echo target and checks they come back. */
    public static void echoed(Socket socket, int n) throws Exception {
        byte[] sent = new byte[n];
        new Random(n).nextBytes(sent);
        OutputStream out = socket.getOutputStream();
        // written while read: the echo would fill both socket buffers
        CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
            try {
                out.write(sent);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        byte[] received = socket.getInputStream().readNBytes(n);
        writing.get(30, TimeUnit.SECONDS);
        if (!Arrays.equals(received, sent)) {
            throw new AssertionError("the echo of " + n + " bytes came back as " + received.length
                    + " different bytes");
        }
    }

    /** Sends an HTTP/1.0 GET through {@code socket} and answers the whole response, headers included. */
    public static byte[] get(Socket socket, String path) throws IOException {
        socket.getOutputStream().write(request(path));
        return socket.getInputStream().readAllBytes();
    }

    public static byte[] request(String path) {
        return ("GET " + path + " HTTP/1.0\r\nHost: target\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads {@code socket} on another thread until it is closed, counting into {@code received}. */
    public static CompletableFuture<Long> readUntilClosed(Socket socket, AtomicLong received) {
        return CompletableFuture.supplyAsync(() -> {
            byte[] buffer = new byte[8192];
            try (socket; InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    received.addAndGet(n);
                }
            } catch (IOException cut) {
                // closed by the proxy
            }
            return received.get();
        });
    }

    /** A plain connection to the proxy, for hand-made SOCKS messages. */
    public static Socket raw(int proxyPort) throws IOException {
        Socket socket = new Socket("127.0.0.1", proxyPort);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** Reads exactly {@code n} bytes, or fewer if the proxy closes first. */
    public static byte[] read(Socket socket, int n) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < n) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    /** Whether the proxy closed the connection (end of stream or reset) before the timeout. */
    public static boolean closedByPeer(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Greeting offering username/password, then RFC 1929 authentication. */
    public static byte[] greetingAndLogin(String user, String password) {
        byte[] u = user.getBytes(StandardCharsets.US_ASCII);
        byte[] p = password.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {5, 1, 2});
        out.write(1);
        out.write(u.length);
        out.writeBytes(u);
        out.write(p.length);
        out.writeBytes(p);
        return out.toByteArray();
    }

    /** A request for {@code command} to an IPv4 address. */
    public static byte[] command(int command, byte[] ipv4, int port) {
        return new byte[] {5, (byte) command, 0, 1, ipv4[0], ipv4[1], ipv4[2], ipv4[3], (byte) (port >> 8),
            (byte) port};
    }
}

package dev.switchboard.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Bytes written to a real socket as a client would, for requests a well-behaved client library
 * refuses to send (a malformed URI, oversize headers) and for a WebSocket client that does not read.
 */
final class RawHttp implements AutoCloseable {

    private final Socket socket = new Socket();
    private final OutputStream out;
    private final InputStream in;

    /** @param receiveBuffer the socket's receive buffer in bytes, or 0 for the system's */
    RawHttp(int port, int receiveBuffer) throws IOException {
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** Sends {@code head} (request line and headers, without the blank line) and reads the response until the server closes or 10 s pass. */
    static String exchange(int port, String head) throws IOException {
        return exchange(port, head, new byte[0]);
    }

    /** As {@link #exchange(int, String)}, with {@code body} after the headers (give its Content-Length in {@code head}). */
    static String exchange(int port, String head, byte[] body) throws IOException {
        try (RawHttp http = new RawHttp(port, 0)) {
            http.out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            http.out.write(body);
            http.out.flush();
            return new String(http.in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Upgrades to a WebSocket on {@code path}, with further header lines ({@code "Name: value"});
     * answers the response's status line and headers.
     */
    String upgrade(String path, String... headerLines) throws IOException {
        StringBuilder extra = new StringBuilder();
        for (String line : headerLines) {
            extra.append(line).append("\r\n");
        }
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** One masked text frame (the mask key is zero, so the payload goes as it is). */
    void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        frame.write(new byte[4]);
        frame.write(payload);
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Reads and drops what the server sent until it closes the connection; answers how many bytes that was. */
    long drain() throws IOException {
        long total = 0;
        byte[] buffer = new byte[65536];
        try {
            for (int n; (n = in.read(buffer)) >= 0;) {
                total += n;
            }
        } catch (java.net.SocketException reset) {
            // the server dropped the connection: what was in flight is gone
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

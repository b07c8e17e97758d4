package dev.switchboard.securityagent.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Asks a running SecurityAgent for a token over its local socket and prints it.
 *
 * <p>Usage: {@code TokenClient <socket> <url or JSON payload>}. Exit code 0 with the token on
 * standard output; 1 with the reason on standard error; 2 on wrong usage.
 */
public final class TokenClient {

    private static final int MAX_ANSWER_BYTES = 16 * 1024;
    /**
     * How long the command waits for the socket to listen: the JSON-RPC endpoint is announced before the
     * SecurityAgent has started, and the agent restarts when its configuration changes.
     */
    static final Duration LISTEN_WAIT = Duration.ofSeconds(15);
    private static final long RETRY_MILLIS = 200;

    private TokenClient() {
    }

    public static void main(String[] args) {
        if (args.length != 2 || args[1].isBlank()) {
            System.err.println("usage: TokenClient <socket> <url or JSON payload>");
            System.exit(2);
        }
        try {
            String answer = request(Path.of(args[0]), args[1], LISTEN_WAIT);
            if (answer.isEmpty() || answer.startsWith("error:")) {
                System.err.println(answer.isEmpty() ? "error: no answer" : answer);
                System.exit(1);
            }
            System.out.println(answer);
        } catch (IOException e) {
            System.err.println("error: cannot ask " + args[0] + " for a token (is Switchboard running, with its"
                    + " SecurityAgent activated?): " + e.getMessage());
            System.exit(1);
        }
    }

    /** Sends the payload and answers the first line of the reply; waits up to {@code wait} for a listener. */
    static String request(Path socket, String payload, Duration wait) throws IOException {
        return request(socket, payload, wait, () -> { });
    }

    /** @param waiting told once when nothing listens yet and the command starts waiting */
    static String request(Path socket, String payload, Duration wait, Runnable waiting) throws IOException {
        try (SocketChannel channel = connect(socket, wait, waiting)) {
            ByteBuffer out = ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8));
            try {
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                channel.shutdownOutput();
            } catch (IOException e) {
                // the agent stops reading a payload it refuses; its answer still says why
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(4096);
            while (channel.read(in) >= 0 && answer.size() < MAX_ANSWER_BYTES) {
                in.flip();
                answer.write(in.array(), 0, in.limit());
                in.clear();
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            int newline = text.indexOf('\n');
            return (newline < 0 ? text : text.substring(0, newline)).strip();
        }
    }

    /** Connects, trying again while nothing listens at {@code socket}, until {@code wait} has passed. */
    private static SocketChannel connect(Path socket, Duration wait, Runnable waiting) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        for (boolean first = true;; first = false) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                return channel;
            } catch (IOException e) {
                channel.close();
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                if (first) {
                    waiting.run();
                }
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + socket, e);
            }
        }
    }
}

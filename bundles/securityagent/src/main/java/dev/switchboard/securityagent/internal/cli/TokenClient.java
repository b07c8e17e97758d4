package dev.switchboard.securityagent.internal.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Asks a running SecurityAgent for a token over its local socket and prints it.
 *
 * <p>Usage: {@code TokenClient <socket> <url or JSON payload>}. Exit code 0 with the token on
 * standard output; 1 with the reason on standard error; 2 on wrong usage.
 */
public final class TokenClient {

    private static final int MAX_ANSWER_BYTES = 16 * 1024;

    private TokenClient() {
    }

    public static void main(String[] args) {
        if (args.length != 2 || args[1].isBlank()) {
            System.err.println("usage: TokenClient <socket> <url or JSON payload>");
            System.exit(2);
        }
        try {
            String answer = request(Path.of(args[0]), args[1]);
            if (answer.isEmpty() || answer.startsWith("error:")) {
                System.err.println(answer.isEmpty() ? "error: no answer" : answer);
                System.exit(1);
            }
            System.out.println(answer);
        } catch (IOException e) {
            System.err.println("error: cannot ask " + args[0] + " for a token: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Sends the payload and answers the first line of the reply. */
    static String request(Path socket, String payload) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
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
}

package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The curl command line, as a user runs it: it tells exactly how many bytes it sent and received. */
final class Curl {

    /**
     * @param exit    curl's exit code: 0 done, 18 or 56 cut mid-transfer, 97 the proxy refused
     * @param request the HTTP request it sent
     * @param header  the response head it received
     * @param body    the response body it received
     * @param error   what it printed on standard error
     */
    record Result(int exit, long request, long header, long body, String error) {
        /** Everything it received after the SOCKS5 handshake: what a proxy relays down. */
        long received() {
            return header + body;
        }
    }

    private final List<String> arguments = new ArrayList<>(List.of("curl", "-sS", "--max-time", "300"));

    /** A GET through the SOCKS5 proxy at {@code port} on 127.0.0.1, the target's name resolved by the proxy. */
    static Curl through(int port) {
        Curl curl = new Curl();
        curl.arguments.addAll(List.of("--socks5-hostname", "127.0.0.1:" + port));
        return curl;
    }

    /** A GET from network namespace {@code ns}, straight to the target (through a tunnel, say). */
    static Curl inNamespace(String ns) {
        Curl curl = new Curl();
        curl.arguments.addAll(0, List.of("ip", "netns", "exec", ns));
        return curl;
    }

    /** Gives up after {@code seconds} under one byte a second: a tunnel that was cut. */
    Curl stallSeconds(int seconds) {
        arguments.addAll(List.of("--speed-limit", "1", "--speed-time", String.valueOf(seconds)));
        return this;
    }

    /** RFC 1929 user name and password for the proxy. */
    Curl credentials(String user, String password) {
        arguments.addAll(List.of("--proxy-user", user + ":" + password));
        return this;
    }

    /** Reads at most {@code rate} (curl's syntax: {@code 200k}), so that the proxy's buffers towards it fill up. */
    Curl limitRate(String rate) {
        arguments.addAll(List.of("--limit-rate", rate));
        return this;
    }

    /** Fetches {@code url} into {@code output} ({@code /dev/null} when null). */
    Result get(String url, Path output) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(arguments);
        command.addAll(List.of("-o", output == null ? "/dev/null" : output.toString(),
                "-w", "%{size_request} %{size_header} %{size_download}", url));
        Process curl = new ProcessBuilder(command).redirectErrorStream(false).start();
        curl.getOutputStream().close();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        String error = new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!curl.waitFor(360, TimeUnit.SECONDS)) {
            curl.destroyForcibly();
            throw new IOException("curl did not finish: " + command);
        }
        String[] sizes = out.split(" ");
        assertEquals("curl's -w output: " + out + "; " + error, 3, sizes.length);
        return new Result(curl.exitValue(), Long.parseLong(sizes[0]), Long.parseLong(sizes[1]),
                Long.parseLong(sizes[2]), error);
    }
}

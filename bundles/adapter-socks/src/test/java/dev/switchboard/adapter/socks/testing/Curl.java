package dev.switchboard.adapter.socks.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** curl as a SOCKS5 client, when installed: it tells exactly how many bytes it sent and received. */
public final class Curl {

    /**
     * @param exit         curl's exit code (97: the proxy refused, see {@code error})
     * @param requestBytes the HTTP request it sent
     * @param headerBytes  the response headers it received
     * @param bodyBytes    the response body it received
     */
    public record Result(int exit, long requestBytes, long headerBytes, long bodyBytes, String error) {
    }

    private Curl() {
    }

    public static boolean available() {
        try {
            return new ProcessBuilder("curl", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** GETs {@code url} through {@code proxy} (e.g. {@code socks5h://user:password@127.0.0.1:1080}). */
    public static Result get(String proxy, String url) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder(List.of("curl", "-s", "-S", "--max-time", "60", "-o", "/dev/null",
                "-w", "%{size_request} %{size_header} %{size_download}", "-x", proxy, url)).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        String error = new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!curl.waitFor(90, TimeUnit.SECONDS)) {
            curl.destroyForcibly();
            throw new IOException("curl did not finish");
        }
        String[] sizes = out.split(" ");
        return new Result(curl.exitValue(), Long.parseLong(sizes[0]), Long.parseLong(sizes[1]),
                Long.parseLong(sizes[2]), error);
    }
}

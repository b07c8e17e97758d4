package dev.switchboard.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server with files of any size: {@code GET /file/<size>/<tag>} answers {@code size} bytes of a
 * fixed pseudo-random pattern and counts the body bytes it managed to write for {@code tag}, so a test
 * knows the most a proxy can have read from it.
 */
final class FileServer implements AutoCloseable {

    /** Written in chunks this big: a count is exact to within one chunk when the client goes away. */
    static final int CHUNK = 8192;
    /** A prime length, so no buffer size divides it and a lost or repeated buffer shows. */
    private static final byte[] PATTERN = new byte[65_521];

    static {
        new Random(7).nextBytes(PATTERN);
    }

    private final HttpServer http;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-file-server");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, CompletableFuture<Long>> served = new ConcurrentHashMap<>();

    FileServer() throws IOException {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private FileServer(InetSocketAddress address) throws IOException {
        http = HttpServer.create(address, 50);
        http.setExecutor(threads);
        http.createContext("/file/", this::file);
        http.start();
    }

    int port() {
        return http.getAddress().getPort();
    }

    /** The URL of a file of {@code size} bytes, its writes counted under {@code tag}. */
    String url(long size, String tag) {
        return "http://127.0.0.1:" + port() + "/file/" + size + "/" + tag;
    }

    /** The same, sent at {@code bytesPerSecond}: a transfer that lasts, without filling buffers on the way. */
    String url(long size, String tag, long bytesPerSecond) {
        return url(size, tag) + "?rate=" + bytesPerSecond;
    }

    private void file(HttpExchange exchange) throws IOException {
        String[] path = exchange.getRequestURI().getPath().split("/");
        long size = Long.parseLong(path[2]);
        String query = exchange.getRequestURI().getQuery();
        long rate = query != null && query.startsWith("rate=") ? Long.parseLong(query.substring(5)) : 0;
        CompletableFuture<Long> done = served.computeIfAbsent(path[3], tag -> new CompletableFuture<>());
        long written = 0;
        long start = System.nanoTime();
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, size);
            OutputStream out = exchange.getResponseBody();
            byte[] chunk = new byte[CHUNK];
            while (written < size) {
                int n = (int) Math.min(CHUNK, size - written);
                for (int i = 0; i < n; i++) {
                    chunk[i] = at(written + i);
                }
                out.write(chunk, 0, n);
                written += n;
                if (rate > 0) {
                    out.flush();
                    long ahead = written * 1_000_000_000L / rate - (System.nanoTime() - start);
                    if (ahead > 0) {
                        Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                    }
                }
            }
            out.flush();
        } catch (IOException gone) {
            // the client (the proxy) went away
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } finally {
            done.complete(written);
        }
    }

    /** Serves on {@code args[0]} port {@code args[1]} until killed: run in a network namespace of its own. */
    public static void main(String[] args) throws IOException, InterruptedException {
        new FileServer(new InetSocketAddress(InetAddress.getByName(args[0]), Integer.parseInt(args[1])));
        Thread.sleep(Long.MAX_VALUE);
    }

    /** The byte at {@code offset} of every file. */
    static byte at(long offset) {
        return PATTERN[(int) (offset % PATTERN.length)];
    }

    /**
     * The body bytes written for {@code tag}, once its response ended. A write the client cut short is not
     * counted, so the client may have been sent up to {@link #CHUNK} bytes more.
     */
    long served(String tag) throws Exception {
        return served.computeIfAbsent(tag, t -> new CompletableFuture<>()).get(60, TimeUnit.SECONDS);
    }

    /** Whether {@code file} holds exactly the first {@code size} bytes of the pattern. */
    static boolean holds(Path file, long size) throws IOException {
        if (Files.size(file) != size) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[65_536];
            long offset = 0;
            for (int n; (n = in.read(buffer)) > 0; offset += n) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != at(offset + i)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}

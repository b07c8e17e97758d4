package dev.switchboard.adapter.socks.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpServer;

/**
 * Targets a proxy connects to: an HTTP server with a file of known size and an endless slow stream,
 * a TCP echo server, a slow sink and a flood (endless bytes as fast as the reader takes them), all on
 * every local address (IPv4 and IPv6).
 */
public final class Targets implements AutoCloseable {

    /** Not a round number: a miscount by a buffer size shows. */
    public static final int FILE_SIZE = 1_048_576 + 4_097;

    private final byte[] file = new byte[FILE_SIZE];
    private final HttpServer http;
    private final ServerSocket echo;
    private final ServerSocket sink;
    private final ServerSocket flood;
    private final AtomicLong sunk = new AtomicLong();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "test-target");
        thread.setDaemon(true);
        return thread;
    });

    public Targets() throws IOException {
        new Random(42).nextBytes(file);
        http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("::"), 0), 50);
        http.setExecutor(threads);
        http.createContext("/file", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, file.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(file);
            }
        });
        http.createContext("/stream", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[8192];
            try (OutputStream out = exchange.getResponseBody()) {
                while (true) {
                    out.write(chunk);
                    out.flush();
                    Thread.sleep(20);
                }
            } catch (IOException | InterruptedException gone) {
                // the client went away: the end of the stream
            }
        });
        http.start();
        echo = serve(Targets::echo, 0);
        // a small window: what a client sends piles up in the proxy, not in the kernel
        sink = serve(this::sink, 16_384);
        flood = serve(Targets::flood, 0);
    }

    private ServerSocket serve(Consumer<Socket> handler, int receiveBuffer) throws IOException {
        ServerSocket server = new ServerSocket();
        if (receiveBuffer > 0) {
            server.setReceiveBufferSize(receiveBuffer);
        }
        server.bind(new InetSocketAddress(InetAddress.getByName("::"), 0), 50);
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    threads.execute(() -> handler.accept(socket));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return server;
    }

    /** Reads slowly; counts what it read. */
    private void sink(Socket socket) {
        try (socket; InputStream in = socket.getInputStream()) {
            byte[] buffer = new byte[2048];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sunk.addAndGet(n);
                Thread.sleep(1);
            }
        } catch (IOException | InterruptedException gone) {
            // the end
        }
    }

    /** Writes until the reader goes away. */
    private static void flood(Socket socket) {
        byte[] chunk = new byte[65_536];
        new Random(11).nextBytes(chunk);
        try (socket; OutputStream out = socket.getOutputStream()) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException gone) {
            // the end
        }
    }

    private static void echo(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException gone) {
            // the client went away
        }
    }

    public int httpPort() {
        return http.getAddress().getPort();
    }

    public int echoPort() {
        return echo.getLocalPort();
    }

    public int sinkPort() {
        return sink.getLocalPort();
    }

    public int floodPort() {
        return flood.getLocalPort();
    }

    /** Bytes the sink has read, over all its connections. */
    public long sunk() {
        return sunk.get();
    }

    public byte[] file() {
        return file.clone();
    }

    /** A local port nothing listens on. */
    public static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        http.stop(0);
        echo.close();
        sink.close();
        flood.close();
        threads.shutdownNow();
    }
}

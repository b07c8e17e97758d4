package dev.switchboard.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * End-to-end JSON-RPC throughput of the launcher distribution ({@code DeviceInfo.1.versions} over
 * HTTP), against a baseline: a bare Jetty 12 handler in this process answering the same bytes.
 * The ratio is what the OSGi whiteboard, the designator, the dispatch and Jackson cost. Also prints
 * the time from process start to the first answer and the resident memory of the host.
 *
 * <p>Usage: {@code JsonRpcThroughput <distribution dir> [seconds per run] [concurrent requests]}
 */
public final class JsonRpcThroughput {

    private static final String REQUEST = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"DeviceInfo.1.versions\"}";

    public static void main(String[] args) throws Exception {
        Path distribution = Path.of(args.length > 0 ? args[0] : "launcher/target/switchboard").toAbsolutePath();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(concurrency);
        client.start();

        int port = freePort();
        long started = System.nanoTime();
        Process host = new ProcessBuilder(distribution.resolve("bin/switchboard").toString(), "--port", String.valueOf(port))
                .directory(distribution.toFile()).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("switchboard-benchmark", ".log").toFile()).start();
        try {
            URI switchboard = URI.create("http://127.0.0.1:" + port + "/jsonrpc");
            String answer = awaitFirstAnswer(client, switchboard, host);
            double startSeconds = (System.nanoTime() - started) / 1e9;

            Server baseline = baseline(answer);
            URI bare = URI.create("http://127.0.0.1:" + ((ServerConnector) baseline.getConnectors()[0]).getLocalPort() + "/");
            try {
                run(client, bare, 2, concurrency);
                run(client, switchboard, 2, concurrency);
                double bareRate = run(client, bare, seconds, concurrency);
                double switchboardRate = run(client, switchboard, seconds, concurrency);
                System.out.printf("start to first answer: %.2f s%n", startSeconds);
                System.out.printf("resident memory after load: %d MiB%n", residentKib(host.pid()) / 1024);
                System.out.printf("bare Jetty handler:      %,10.0f requests/s%n", bareRate);
                System.out.printf("Switchboard JSON-RPC:    %,10.0f requests/s%n", switchboardRate);
                System.out.printf("ratio Switchboard / bare Jetty: %.2f%n", switchboardRate / bareRate);
            } finally {
                baseline.stop();
            }
        } finally {
            host.destroy();
            host.waitFor();
            client.stop();
        }
    }

    private static String awaitFirstAnswer(HttpClient client, URI uri, Process host) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && host.isAlive()) {
            try {
                ContentResponse response = post(client, uri);
                if (response.getStatus() == 200 && response.getContentAsString().contains("\"result\"")) {
                    return response.getContentAsString();
                }
            } catch (Exception notYet) {
                // the host is still starting
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("Switchboard did not answer DeviceInfo.1.versions within 60 s");
    }

    /** {@code concurrency} threads call one after the other for the given time; returns answers per second. */
    private static double run(HttpClient client, URI uri, int seconds, int concurrency) throws InterruptedException {
        AtomicLong answered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread caller = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        (post(client, uri).getStatus() == 200 ? answered : failed).incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            });
            caller.start();
            callers.add(caller);
        }
        for (Thread caller : callers) {
            caller.join();
        }
        if (failed.get() > 0) {
            System.out.printf("%s: %d of %d requests failed%n", uri, failed.get(), failed.get() + answered.get());
        }
        return answered.get() / (double) seconds;
    }

    private static ContentResponse post(HttpClient client, URI uri) throws Exception {
        return client.POST(uri).body(new StringRequestContent("application/json", REQUEST)).send();
    }

    private static Server baseline(String answer) throws Exception {
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.getHeaders().put("Content-Type", "application/json");
                // read the request as Switchboard does, then answer
                Content.Source.consumeAll(request, Callback.from(
                        () -> response.write(true, ByteBuffer.wrap(body), callback), callback::failed));
                return true;
            }
        });
        server.start();
        return server;
    }

    private static long residentKib(long pid) throws IOException {
        Path status = Path.of("/proc", String.valueOf(pid), "status");
        if (!Files.exists(status)) {
            return -1;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package dev.switchboard.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

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
 * HTTP) against two baselines measured in the same run:
 * <ul>
 * <li>a bare Jetty 12 handler in this process answering the same bytes: what the OSGi whiteboard,
 * the designator, the dispatch and Jackson cost;</li>
 * <li>the same host with enforcement off: what checking a token against the ACL costs on every call
 * (when the distribution has the SecurityAgent).</li>
 * </ul>
 * Also prints the time from process start to the first answer and the resident memory of the host.
 * The distribution is copied first, so its etc/ is left as built.
 *
 * <p>Usage: {@code JsonRpcThroughput <distribution dir> [seconds per run] [concurrent callers]}
 */
public final class JsonRpcThroughput {

    private static final String REQUEST = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"DeviceInfo.1.versions\"}";

    public static void main(String[] args) throws Exception {
        Path built = Path.of(args.length > 0 ? args[0] : "launcher/target/switchboard").toAbsolutePath();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        Path home = copy(built);
        Path rpcConfig = home.resolve("etc/dev.switchboard.rpc.cfg");
        Files.writeString(rpcConfig, "enforce=false\n");
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(concurrency);
        client.start();

        int port = freePort();
        long started = System.nanoTime();
        Process host = new ProcessBuilder(home.resolve("bin/switchboard").toString(), "--port", String.valueOf(port))
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("log/console.log").toFile()).start();
        Server baseline = null;
        try {
            URI switchboard = URI.create("http://127.0.0.1:" + port + "/jsonrpc");
            String answer = awaitAnswer(client, switchboard, null, host);
            double startSeconds = (System.nanoTime() - started) / 1e9;

            baseline = baseline(answer);
            URI bare = URI.create("http://127.0.0.1:" + ((ServerConnector) baseline.getConnectors()[0]).getLocalPort() + "/");
            String token = issueToken(home);
            // warm the JIT of both servers, then alternate, so that no side gains from a warmer JIT or a quieter machine
            run(client, bare, null, 5, concurrency);
            run(client, switchboard, null, 15, concurrency);
            double bareRate = 0;
            double openRate = 0;
            double enforcedRate = 0;
            int rounds = 3;
            for (int round = 0; round < rounds; round++) {
                bareRate += run(client, bare, null, seconds, concurrency) / rounds;
                openRate += run(client, switchboard, null, seconds, concurrency) / rounds;
                if (token != null) {
                    enforce(rpcConfig, true, client, switchboard);
                    enforcedRate += run(client, switchboard, token, seconds, concurrency) / rounds;
                    enforce(rpcConfig, false, client, switchboard);
                }
            }
            System.out.printf("start to first answer: %.2f s%n", startSeconds);
            System.out.printf("bare Jetty handler:                 %,10.0f requests/s%n", bareRate);
            System.out.printf("Switchboard, enforcement off:       %,10.0f requests/s%n", openRate);
            System.out.printf("ratio Switchboard / bare Jetty: %.2f%n", openRate / bareRate);
            if (token == null) {
                System.out.println("no SecurityAgent in this distribution: enforcement not measured");
            } else {
                System.out.printf("Switchboard, token checked by ACL:  %,10.0f requests/s%n", enforcedRate);
                System.out.printf("ratio enforcement on / off: %.2f%n", enforcedRate / openRate);
            }
            System.out.printf("resident memory after load: %d MiB%n", residentKib(host.pid()) / 1024);
        } finally {
            if (baseline != null) {
                baseline.stop();
            }
            host.destroy();
            host.waitFor();
            client.stop();
        }
    }

    static Path copy(Path distribution) throws IOException {
        Path home = Files.createTempDirectory("switchboard-benchmark");
        try (Stream<Path> files = Files.walk(distribution)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = home.resolve(distribution.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return home;
    }

    /** Switches enforcement through etc/ and waits until a call without a token shows it applies. */
    private static void enforce(Path rpcConfig, boolean on, HttpClient client, URI uri) throws Exception {
        Files.writeString(rpcConfig, "enforce=" + on + "\n");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (post(client, uri, null).getStatus() != (on ? 401 : 200)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("enforce=" + on + " did not apply within 30 s");
            }
            Thread.sleep(100);
        }
    }

    /** A token from the distribution's own administrator command, or null when it has none. */
    static String issueToken(Path home) throws IOException, InterruptedException {
        Process command = new ProcessBuilder(home.resolve("bin/switchboard").toString(), "token", "http://localhost")
                .directory(home.toFile()).redirectErrorStream(true).start();
        String output = new String(command.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return command.waitFor() == 0 && output.chars().filter(c -> c == '.').count() == 2 ? output : null;
    }

    /** Waits until the host answers the request (with this token, if any) with a result. */
    private static String awaitAnswer(HttpClient client, URI uri, String token, Process host) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && host.isAlive()) {
            try {
                ContentResponse response = post(client, uri, token);
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
    private static double run(HttpClient client, URI uri, String token, int seconds, int concurrency) throws InterruptedException {
        AtomicLong answered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread caller = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        (post(client, uri, token).getStatus() == 200 ? answered : failed).incrementAndGet();
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

    private static ContentResponse post(HttpClient client, URI uri, String token) throws Exception {
        org.eclipse.jetty.client.Request request = client.POST(uri).body(new StringRequestContent("application/json", REQUEST));
        if (token != null) {
            request.headers(headers -> headers.put("Authorization", "Bearer " + token));
        }
        return request.send();
    }

    static Server baseline(String answer) throws Exception {
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

    static long residentKib(long pid) throws IOException {
        Path status = Path.of("/proc", String.valueOf(pid), "status");
        if (!Files.exists(status)) {
            return -1;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(-1);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

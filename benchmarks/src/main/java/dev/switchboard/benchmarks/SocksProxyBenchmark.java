package dev.switchboard.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Bulk throughput and connection set-up rate through a SOCKS5 proxy with username/password
 * authentication (RFC 1928 CONNECT, RFC 1929), in one run, for three paths to the same sink server on
 * loopback:
 * <ul>
 * <li>direct: the client connects to the server itself, no proxy (the upper bound);</li>
 * <li>Dante ({@code danted}, Debian's {@code dante-server}) with {@code socksmethod: username} against a
 * system user;</li>
 * <li>Switchboard's agent proxy (the {@code socksagent} plugin of {@code bundles/adapter-socks}) in a
 * copy of the built distribution, with the client key and password of an order placed over JSON-RPC.</li>
 * </ul>
 * Every path uses the same client, java.net's SOCKS5 implementation ({@code new Socket(Proxy)} with an
 * {@link Authenticator} for the credentials), the same blocking reads and the same server. Measured:
 * MiB/s read by 1 and by 32 concurrent streams, and connections per second with 8 at once, each
 * connection being connect + SOCKS handshake + a 1-byte exchange + close. After a warm-up the paths
 * alternate within each round, so that none gains from a warmer JIT or a quieter machine; the table
 * gives the mean over the rounds and the ratios switchboard/direct and switchboard/dante.
 *
 * <p>Dante needs root (a system user for its {@code username} method, {@code user.privileged: root});
 * it is installed with apt-get when missing. Without it, or without the adapter in the distribution,
 * that path is skipped with a message and the others are still measured.
 *
 * <p>Usage: {@code SocksProxyBenchmark <distribution dir> [seconds per measurement] [rounds]}
 */
public final class SocksProxyBenchmark {

    static final int STREAMS = 32;
    static final int CONNECTORS = 8;
    /** The request byte: answer one byte and close. */
    static final int PING = 0;
    /** The request byte: write as fast as possible until the client closes. */
    static final int BULK = 1;
    static final int BUFFER = 64 * 1024;
    static final String DANTE_USER = "sbbench";
    static final String DANTED = "/usr/sbin/danted";
    /** danted's "main servers" (-N): one per CPU, its best case (danted(8)). */
    static final int DANTE_SERVERS = Integer.getInteger("dante.servers", Runtime.getRuntime().availableProcessors());
    /** The adapter's bundle and its factory PID (see bundles/adapter-socks). */
    static final String ADAPTER_BSN = "dev.switchboard.adapter.socks";
    static final String ADAPTER_PID = "dev.switchboard.socksagent";
    static final String CALLSIGN = "SocksBench";
    static final ObjectMapper JSON = new ObjectMapper();

    /** Credentials per proxy port, handed to java.net's SOCKS client. */
    static final Map<Integer, PasswordAuthentication> CREDENTIALS = new ConcurrentHashMap<>();

    /** One way to reach the sink server. */
    record Route(String name, Proxy proxy) {

        Socket open(InetSocketAddress target) throws IOException {
            Socket socket = proxy == null ? new Socket() : new Socket(proxy);
            try {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(15_000);
                socket.connect(target, 15_000);
                return socket;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }
    }

    /** Means over the rounds. */
    static final class Figures {
        double single;
        double multi;
        double connections;
        long failures;
    }

    public static void main(String[] args) throws Exception {
        Path built = Path.of(args.length > 0 ? args[0] : "launcher/target/switchboard").toAbsolutePath();
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Authenticator.setDefault(new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return "SOCKS5".equals(getRequestingProtocol()) ? CREDENTIALS.get(getRequestingPort()) : null;
            }
        });
        List<String> notes = new ArrayList<>();
        List<AutoCloseable> cleanup = new ArrayList<>();
        Map<Route, Figures> routes = new LinkedHashMap<>();
        try (SinkServer sink = new SinkServer()) {
            InetSocketAddress target = sink.address();
            routes.put(new Route("direct loopback", null), new Figures());
            Route dante = Dante.start(cleanup, notes);
            if (dante != null) {
                routes.put(dante, new Figures());
            }
            Route switchboard = SwitchboardProxy.start(built, cleanup, notes);
            if (switchboard != null) {
                routes.put(switchboard, new Figures());
            }
            for (Route route : routes.keySet()) {
                check(route, target);
            }
            // warm-up: the JIT of this client, the server and Switchboard's host
            System.out.printf("sink server on %s; warming up each path for %d s ...%n", target, 6);
            for (Route route : routes.keySet()) {
                bulk(route, target, 1, 2);
                bulk(route, target, STREAMS, 2);
                connections(route, target, CONNECTORS, 2, new AtomicLong());
            }
            System.out.printf("warmed up; %d rounds, each path in turn, starting with another path each round%n", rounds);
            List<Route> order = new ArrayList<>(routes.keySet());
            for (int round = 1; round <= rounds; round++) {
                for (int i = 0; i < order.size(); i++) {
                    Route route = order.get((round - 1 + i) % order.size());
                    Figures f = routes.get(route);
                    AtomicLong failed = new AtomicLong();
                    double single = bulk(route, target, 1, seconds);
                    double multi = bulk(route, target, STREAMS, seconds);
                    double rate = connections(route, target, CONNECTORS, seconds, failed);
                    f.single += single / rounds;
                    f.multi += multi / rounds;
                    f.connections += rate / rounds;
                    f.failures += failed.get();
                    System.out.printf("  round %d, %-24s 1 stream %,9.0f MiB/s, %d streams %,9.0f MiB/s, %,8.0f connections/s%s%n",
                            round, route.name() + ":", single, STREAMS, multi, rate,
                            failed.get() > 0 ? " (" + failed.get() + " connections failed)" : "");
                }
            }
            if (SwitchboardProxy.hostPid != 0) {
                notes.add(String.format("Switchboard host resident memory after the load: %d MiB",
                        JsonRpcThroughput.residentKib(SwitchboardProxy.hostPid) / 1024));
            }
        } finally {
            for (int i = cleanup.size() - 1; i >= 0; i--) {
                try {
                    cleanup.get(i).close();
                } catch (Exception e) {
                    System.out.println("cleanup: " + e);
                }
            }
        }
        print(routes, notes, seconds, rounds);
    }

    private static void print(Map<Route, Figures> routes, List<String> notes, int seconds, int rounds) {
        System.out.println();
        System.out.printf("SOCKS5 CONNECT with username/password, java.net client, sink server on 127.0.0.1;"
                + " mean of %d rounds of %d s each%n", rounds, seconds);
        System.out.printf("%-26s %16s %18s %26s%n", "", "1 stream MiB/s", STREAMS + " streams MiB/s",
                "connections/s (" + CONNECTORS + " at once)");
        Figures direct = null;
        Figures dante = null;
        Figures switchboard = null;
        for (Map.Entry<Route, Figures> entry : routes.entrySet()) {
            Figures f = entry.getValue();
            System.out.printf("%-26s %16.0f %18.0f %26.0f%s%n", entry.getKey().name(), f.single, f.multi,
                    f.connections, f.failures > 0 ? "   (" + f.failures + " failed connections)" : "");
            if (entry.getKey().proxy() == null) {
                direct = f;
            } else if (entry.getKey().name().startsWith("Dante")) {
                dante = f;
            } else {
                switchboard = f;
            }
        }
        for (String note : notes) {
            System.out.println(note);
        }
        if (dante != null) {
            System.out.printf("ratio dante/direct:        1 stream %.2f, %d streams %.2f, connections %.2f%n",
                    dante.single / direct.single, STREAMS, dante.multi / direct.multi, dante.connections / direct.connections);
        }
        if (switchboard == null) {
            return;
        }
        System.out.printf("ratio switchboard/direct:  1 stream %.2f, %d streams %.2f, connections %.2f%n",
                switchboard.single / direct.single, STREAMS, switchboard.multi / direct.multi,
                switchboard.connections / direct.connections);
        if (dante != null) {
            System.out.printf("ratio switchboard/dante:   1 stream %.2f, %d streams %.2f, connections %.2f%n",
                    switchboard.single / dante.single, STREAMS, switchboard.multi / dante.multi,
                    switchboard.connections / dante.connections);
        }
        System.out.printf("target 1 stream >= 0.8 of direct: %s%n", verdict(switchboard.single / direct.single >= 0.8));
        if (dante != null) {
            System.out.printf("target >= Dante at 1 and %d streams: %s; connection rate >= Dante: %s%n", STREAMS,
                    verdict(switchboard.single >= dante.single && switchboard.multi >= dante.multi),
                    verdict(switchboard.connections >= dante.connections));
        }
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }

    /** One connection and a ping through the route, so that a broken path fails before it is measured. */
    private static void check(Route route, InetSocketAddress target) throws IOException {
        try (Socket socket = route.open(target)) {
            ping(socket);
        } catch (IOException e) {
            throw new IOException(route.name() + ": no ping through it: " + e, e);
        }
    }

    private static void ping(Socket socket) throws IOException {
        socket.getOutputStream().write(PING);
        if (socket.getInputStream().read() != PING) {
            throw new IOException("no answer to the ping");
        }
    }

    /**
     * {@code streams} connections are opened first; then all ask for bulk data at once and read it for the
     * given time. Returns the MiB/s read by all together.
     */
    static double bulk(Route route, InetSocketAddress target, int streams, int seconds) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < streams; i++) {
                sockets.add(route.open(target));
            }
            CountDownLatch ready = new CountDownLatch(streams);
            CountDownLatch go = new CountDownLatch(1);
            AtomicLong total = new AtomicLong();
            AtomicReference<Exception> failure = new AtomicReference<>();
            long[] window = new long[2];
            List<Thread> readers = new ArrayList<>();
            for (Socket socket : sockets) {
                Thread reader = new Thread(() -> {
                    byte[] buffer = new byte[BUFFER];
                    long read = 0;
                    try {
                        InputStream in = socket.getInputStream();
                        ready.countDown();
                        go.await();
                        socket.getOutputStream().write(BULK);
                        long end = window[1];
                        while (System.nanoTime() < end) {
                            int n = in.read(buffer);
                            if (n < 0) {
                                throw new IOException("the stream ended early");
                            }
                            read += n;
                        }
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        total.addAndGet(read);
                    }
                }, "bulk-reader");
                reader.start();
                readers.add(reader);
            }
            ready.await();
            window[0] = System.nanoTime();
            window[1] = window[0] + Duration.ofSeconds(seconds).toNanos();
            go.countDown();
            for (Thread reader : readers) {
                reader.join();
            }
            double elapsed = (System.nanoTime() - window[0]) / 1e9;
            if (failure.get() != null) {
                throw new IOException(route.name() + ", " + streams + " streams: " + failure.get(), failure.get());
            }
            return total.get() / elapsed / (1024 * 1024);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /**
     * {@code concurrency} threads each open a connection, send a byte, read the answer and close, one
     * after the other, for the given time. Returns completed connections per second.
     */
    static double connections(Route route, InetSocketAddress target, int concurrency, int seconds, AtomicLong failed)
            throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try (Socket socket = route.open(target)) {
                        ping(socket);
                        done.incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                }
            }, "connector");
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (firstFailure.get() != null) {
            System.out.printf("  %s: %d connections failed, the first with %s%n", route.name(), failed.get(),
                    firstFailure.get());
        }
        return done.get() / elapsed;
    }

    // ------------------------------------------------------------------ the sink server

    /**
     * A blocking server on 127.0.0.1, a thread per connection: reads one byte; {@link #PING} is answered
     * with one byte and the connection closed, {@link #BULK} with data written as fast as the connection
     * takes it until the client closes.
     */
    static final class SinkServer implements AutoCloseable {

        /** Incompressible, should anything on the way compress. */
        private static final byte[] DATA = new byte[BUFFER];

        static {
            new SecureRandom().nextBytes(DATA);
        }

        private final LoopbackServer server;

        SinkServer() throws IOException {
            server = new LoopbackServer("sink", 4096, SinkServer::serve);
        }

        InetSocketAddress address() {
            return server.address();
        }

        private static void serve(Socket socket) {
            try (socket) {
                socket.setTcpNoDelay(true);
                int request = socket.getInputStream().read();
                OutputStream out = socket.getOutputStream();
                if (request == PING) {
                    out.write(PING);
                } else if (request == BULK) {
                    while (true) {
                        out.write(DATA);
                    }
                }
            } catch (IOException closedByClient) {
                // the end of a bulk stream
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    // ------------------------------------------------------------------ Dante

    static final class Dante {

        /** Starts danted on a free loopback port with username authentication; null (and a note) if it cannot. */
        static Route start(List<AutoCloseable> cleanup, List<String> notes) throws Exception {
            if (!"root".equals(System.getProperty("user.name"))) {
                return skip(notes, "not root: Dante needs a system user for its username method and root to check it");
            }
            if (!Files.isExecutable(Path.of(DANTED))) {
                System.out.println("installing dante-server with apt-get ...");
                if (run("apt-get", "install", "-y", "-q", "dante-server") != 0
                        && (run("apt-get", "update", "-q") != 0 || run("apt-get", "install", "-y", "-q", "dante-server") != 0)) {
                    return skip(notes, "apt-get install dante-server failed");
                }
                if (!Files.isExecutable(Path.of(DANTED))) {
                    return skip(notes, DANTED + " is missing after apt-get install dante-server");
                }
            }
            if (run("id", DANTE_USER) != 0
                    && run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", DANTE_USER) != 0) {
                return skip(notes, "useradd " + DANTE_USER + " failed");
            }
            // a new random password for every run; the account is locked again at the end. Hashed with
            // SHA-512 crypt (glibc's 5000 rounds), which Dante checks in about a millisecond per connection:
            // Debian's default yescrypt would cost it about 15 ms and make its connection rate a hash benchmark
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            String password = HexFormat.of().formatHex(random);
            if (feed(DANTE_USER + ":" + password, "chpasswd", "--crypt-method", "SHA512") != 0) {
                return skip(notes, "chpasswd for " + DANTE_USER + " failed");
            }
            cleanup.add(() -> run("usermod", "--lock", DANTE_USER));

            Path dir = Files.createTempDirectory("switchboard-dante");
            // danted's lock files (TMPDIR): for root and its unprivileged user only
            Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            int port = JsonRpcThroughput.freePort();
            Path conf = dir.resolve("danted.conf");
            Files.writeString(conf, String.join("\n",
                    "logoutput: " + dir.resolve("danted.log"),
                    "internal: 127.0.0.1 port = " + port,
                    "external: 127.0.0.1",
                    "clientmethod: none",
                    "socksmethod: username",
                    "user.privileged: root",
                    "user.unprivileged: nobody",
                    "client pass {",
                    "    from: 127.0.0.0/8 to: 0.0.0.0/0",
                    "    log: error",
                    "}",
                    "socks pass {",
                    "    from: 127.0.0.0/8 to: 127.0.0.0/8",
                    "    command: connect",
                    "    socksmethod: username",
                    "    log: error",
                    "}",
                    ""));
            String version = output(DANTED, "-v").trim().replaceAll("\\.\\s+Copyright.*", "");
            ProcessBuilder builder = new ProcessBuilder(DANTED, "-f", conf.toString(), "-N", String.valueOf(DANTE_SERVERS), "-p",
                    dir.resolve("danted.pid").toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("console.log").toFile());
            builder.environment().put("TMPDIR", dir.toString());
            Process danted = builder.start();
            cleanup.add(() -> {
                stop(danted);
                delete(dir);
            });
            if (!awaitPort(port, danted, Duration.ofSeconds(20))) {
                return skip(notes, "danted did not listen on " + port + " within 20 s; see " + dir);
            }
            CREDENTIALS.put(port, new PasswordAuthentication(DANTE_USER, password.toCharArray()));
            System.out.println(version + " on 127.0.0.1:" + port + ", username authentication as system user "
                    + DANTE_USER + " (SHA-512 crypt)");
            return new Route("Dante (danted -N " + DANTE_SERVERS + ")",
                    new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        }

        private static Route skip(List<String> notes, String why) {
            String note = "Dante: not measured: " + why;
            System.out.println(note);
            notes.add(note);
            return null;
        }

        private static int run(String... command) throws IOException, InterruptedException {
            return feed(null, command);
        }

        /** Runs a command with this text (if any) on its standard input; prints its output when it fails. */
        private static int feed(String input, String... command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = process.getOutputStream()) {
                if (input != null) {
                    in.write((input + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = process.waitFor();
            if (status != 0 && !command[0].equals("id")) {
                System.out.print(output);
            }
            return status;
        }

        private static String output(String... command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor();
            return output;
        }
    }

    /** Stops a process and whatever it forked (danted's children). */
    static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
        for (ProcessHandle child : children) {
            child.destroy();
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }

    static boolean awaitPort(int port, Process process, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ Switchboard

    static final class SwitchboardProxy {

        /** The host's process, for its resident memory after the load; 0 when not started. */
        static long hostPid;

        /**
         * Copies and starts the distribution, places an order over JSON-RPC, configures the agent proxy
         * through etc/ and waits until it accepts; null (and a note) when the distribution lacks the adapter.
         */
        static Route start(Path built, List<AutoCloseable> cleanup, List<String> notes) throws Exception {
            if (!Files.isExecutable(built.resolve("bin/switchboard"))) {
                return skip(notes, "no distribution at " + built + " (mvn install the launcher)");
            }
            if (!hasAdapter(built)) {
                return skip(notes, "not in this distribution (no bundle " + ADAPTER_BSN + " in " + built.resolve("bundle") + ")");
            }
            Path home = JsonRpcThroughput.copy(built);
            int rpcPort = JsonRpcThroughput.freePort();
            Process host = new ProcessBuilder(home.resolve("bin/switchboard").toString(), "--port", String.valueOf(rpcPort))
                    .directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(home.resolve("log/console.log").toFile()).start();
            cleanup.add(() -> {
                host.destroy();
                host.waitFor();
                delete(home);
            });
            hostPid = host.pid();
            HttpClient client = new HttpClient();
            client.start();
            cleanup.add(client::stop);
            Rpc rpc = new Rpc(client, URI.create("http://127.0.0.1:" + rpcPort + "/jsonrpc"), Host.awaitToken(home, host));
            Host.awaitSessions(() -> rpc.call("orders", JSON.createObjectNode()), host, home);
            Order order = Order.place(rpc);

            int port = JsonRpcThroughput.freePort();
            Path cfg = home.resolve("etc/" + ADAPTER_PID + "-" + CALLSIGN + ".cfg");
            Files.writeString(cfg, String.join("\n",
                    "callsign = " + CALLSIGN,
                    "startmode = Activated",
                    "listenAddress = 127.0.0.1",
                    "port = " + port,
                    "product = " + order.product(),
                    "credential = " + order.credential(),
                    // the sink server is on loopback, which the proxy refuses to reach by default
                    "allowPrivateTargets = true",
                    ""));
            if (!awaitPort(port, host, Duration.ofSeconds(60))) {
                return skip(notes, "the agent proxy did not listen on " + port + " within 60 s; see "
                        + home.resolve("log/switchboard.log"));
            }
            CREDENTIALS.put(port, new PasswordAuthentication(order.clientKey(), order.password().toCharArray()));
            System.out.println("Switchboard agent proxy on 127.0.0.1:" + port + " (" + home + ")");
            return new Route("Switchboard agent proxy",
                    new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        }

        private static Route skip(List<String> notes, String why) {
            String note = "Switchboard proxy: " + why;
            System.out.println(note);
            notes.add(note);
            return null;
        }

        static boolean hasAdapter(Path distribution) throws IOException {
            for (String folder : List.of("bundle", "deploy")) {
                Path dir = distribution.resolve(folder);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> jars = Files.list(dir)) {
                    for (Path jar : (Iterable<Path>) jars.filter(p -> p.toString().endsWith(".jar"))
                            .sorted(Comparator.naturalOrder())::iterator) {
                        try (JarFile file = new JarFile(jar.toFile())) {
                            String bsn = file.getManifest() == null ? null
                                    : file.getManifest().getMainAttributes().getValue("Bundle-SymbolicName");
                            if (bsn != null && bsn.split(";")[0].trim().equals(ADAPTER_BSN)) {
                                return true;
                            }
                        }
                    }
                }
            }
            return false;
        }
    }

    /** Sessions' JSON-RPC with a token. */
    record Rpc(HttpClient client, URI uri, String token) {

        JsonNode call(String method, JsonNode params) throws Exception {
            ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1)
                    .put("method", "Sessions.1." + method);
            request.set("params", params);
            ContentResponse response = client.POST(uri)
                    .body(new StringRequestContent("application/json", JSON.writeValueAsString(request)))
                    .headers(h -> h.put("Authorization", "Bearer " + token)).send();
            JsonNode answer = JSON.readTree(response.getContentAsString());
            if (response.getStatus() != 200 || !answer.has("result")) {
                throw new IllegalStateException(method + ": HTTP " + response.getStatus() + " " + answer);
            }
            return answer.get("result");
        }
    }

    /**
     * What an operator does before the proxy can admit anyone (as itests' SessionsOrder): templates, a
     * proxy product, a bytes offering sold by the GiB and one order whose deposit outlasts any run.
     */
    record Order(String product, String credential, String clientKey, String password) {

        static Order place(Rpc rpc) throws Exception {
            String offerTemplate = rpc.call("registerTemplate", JSON.createObjectNode().put("kind", "OFFER")
                    .set("schema", JSON.readTree("{\"type\":\"object\"}"))).get("id").asText();
            String accessTemplate = rpc.call("registerTemplate", JSON.createObjectNode().put("kind", "ACCESS")
                    .set("schema", JSON.readTree("{\"type\":\"object\",\"required\":[\"username\",\"password\"]}")))
                    .get("id").asText();
            JsonNode created = rpc.call("createProduct", JSON.createObjectNode().put("name", "socks-benchmark")
                    .put("offerTemplate", offerTemplate).put("accessTemplate", accessTemplate).put("agent", true)
                    .put("serviceEndpoint", "127.0.0.1:1080"));
            String product = created.get("product").get("id").asText();
            ObjectNode terms = JSON.createObjectNode().put("product", product).put("name", "GiB")
                    .put("unitType", "BYTES").put("unitSize", 1L << 30).put("unitPrice", 1).put("setupPrice", 0)
                    .put("minUnits", 0).put("maxUnits", 0).put("billingInterval", 1_000_000)
                    .put("maxBillingUnitLag", 1_000_000_000L).put("maxInactiveSeconds", 0)
                    .put("maxSuspendedSeconds", 0).put("supply", 0);
            String offering = rpc.call("createOffering", terms).get("id").asText();
            JsonNode placed = rpc.call("placeOrder",
                    JSON.createObjectNode().put("offering", offering).put("deposit", 1_000_000_000L));
            return new Order(product, created.get("credential").asText(),
                    placed.get("order").get("clientKey").asText(), placed.get("password").asText());
        }
    }

    private SocksProxyBenchmark() {
    }
}

package dev.switchboard.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.sessions.api.AgentApi;
import dev.switchboard.sessions.api.NewOffering;
import dev.switchboard.sessions.api.NewProduct;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.ProductCreated;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.TemplateKind;
import dev.switchboard.sessions.api.UnitType;
import dev.switchboard.sessions.api.UsageReport;
import dev.switchboard.sessions.internal.SessionsHarness;

/**
 * Throughput of {@code updateSession} (cumulative usage reports) in process and over JSON-RPC, on H2 and on
 * PostgreSQL, each as a ratio to raw JDBC single-row updates on the same database in the same run, and the
 * latency of {@code authClient}.
 * <ul>
 * <li>Baseline: {@code UPDATE bench_counter SET n = n + 1 WHERE id = ?}, one row per thread, autocommit (each
 * update committed before the next, the durability of a usage report), a connection borrowed from the
 * plugin's own pool (production pool size and options) for each update, as the plugin borrows one per
 * transaction.</li>
 * <li>The least a report writes with this schema: its session's and its order's usage columns, two
 * {@code UPDATE}s by primary key in one transaction (on orders of their own), to tell what the schema costs
 * from what the code around it costs.</li>
 * <li>In process: {@link AgentApi#updateSession} with growing totals over many orders, each with several
 * connections; every thread reports for its own orders (as adapters do), round robin.</li>
 * <li>Over JSON-RPC: {@code Sessions.1.updateSession} with a token over HTTP to a copy of the launcher
 * distribution, its sessions database left at its default (H2 under data/sessions) and then pointed at
 * PostgreSQL through {@code etc/dev.switchboard.sessions-Sessions.cfg}; the baseline is the raw update on
 * the same database (H2: a file in the same folder with the same options).</li>
 * <li>{@link AgentApi#authClient} latency, in process, for the right and for a wrong password: both run
 * PBKDF2 with the production iterations, on purpose.</li>
 * </ul>
 * Baseline and measured rounds alternate after a warm-up, so neither side gains from a warmer JIT, a
 * warmer cache or a quieter machine. PostgreSQL is the local server (127.0.0.1:5432, user postgres,
 * database test) in fresh schemas dropped at the end; it is skipped when unreachable.
 *
 * <p>Usage: {@code SessionsThroughput <distribution dir> [seconds=3] [databases=h2,pg] [parts=inprocess,rpc,auth]}
 */
public final class SessionsThroughput {

    static final String PG_SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String PG_USER = "postgres";
    static final int[] THREADS = {1, 4};
    static final int ROUNDS = 3;
    static final int ORDERS = 64;
    static final int CONNECTIONS_PER_ORDER = 2;
    static final int AUTH_SAMPLES = 25;
    static final double TARGET = 0.5;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Liquibase logs each migration step through java.util.logging; held here so the setting stays. */
    private static final java.util.logging.Logger LIQUIBASE = java.util.logging.Logger.getLogger("liquibase");

    /** A database under test: where the in-process pool goes and what the host's cfg says. */
    record Target(String name, String url, String user, String hostCfg) {
    }

    record Result(String database, String what, int threads, double rate, double baseline) {
    }

    record Latency(String database, String what, int samples, double medianMs, double p99Ms) {
    }

    /** One connection of an order, with the cumulative totals the reporting thread keeps. */
    static final class Report {
        final String clientKey;
        final String connection;
        final String orderId;
        final String sessionId;
        long up;
        long down;

        Report(String clientKey, String connection, String orderId, String sessionId) {
            this.clientKey = clientKey;
            this.connection = connection;
            this.orderId = orderId;
            this.sessionId = sessionId;
        }

        void grow() {
            up += 1500;
            down += 12_000;
        }
    }

    interface Op {
        void run() throws Exception;
    }

    /**
     * What one thread (of a given number) runs, by name; the first of a list is the baseline. It warms up for
     * {@code warmUp} times the length of a round, half on one thread and half on the most.
     */
    record Contender(String what, IntFunction<IntFunction<Op>> ops, double warmUp) {

        Contender(String what, IntFunction<IntFunction<Op>> ops) {
            this(what, ops, 1);
        }
    }

    private final Path distribution;
    private final double seconds;
    private final Set<String> parts;
    private final List<Result> results = new ArrayList<>();
    private final List<Latency> latencies = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private SessionsThroughput(Path distribution, double seconds, Set<String> parts) {
        this.distribution = distribution;
        this.seconds = seconds;
        this.parts = parts;
    }

    public static void main(String[] args) throws Exception {
        LIQUIBASE.setLevel(java.util.logging.Level.WARNING);
        Path distribution = Path.of(args.length > 0 ? args[0] : "launcher/target/switchboard").toAbsolutePath();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        double seconds = Double.parseDouble(options.getOrDefault("seconds", "3"));
        Set<String> databases = Set.of(options.getOrDefault("databases", "h2,pg").split(","));
        Set<String> parts = Set.of(options.getOrDefault("parts", "inprocess,rpc,auth").split(","));
        SessionsThroughput benchmark = new SessionsThroughput(distribution, seconds, parts);
        long started = System.nanoTime();
        Path work = Files.createTempDirectory("switchboard-sessions-benchmark");
        try {
            if (databases.contains("h2")) {
                benchmark.guarded("H2", () -> benchmark.database(
                        new Target("H2", SessionsHarness.h2Url(work.resolve("h2")), "", "")));
            }
            if (databases.contains("pg")) {
                benchmark.guarded("PostgreSQL", benchmark::postgres);
            }
        } finally {
            delete(work);
        }
        benchmark.print((System.nanoTime() - started) / 1e9);
    }

    // ------------------------------------------------------------------ per database

    /** Runs one database's part; a failure is printed and noted, and the other parts still run. */
    private void guarded(String database, Op part) {
        try {
            part.run();
        } catch (Exception e) {
            notes.add(database + " not (fully) measured: " + e);
            System.out.println(notes.get(notes.size() - 1));
            e.printStackTrace(System.out);
        }
    }

    private void postgres() throws Exception {
        String reason = pgUnreachable();
        if (reason != null) {
            notes.add("PostgreSQL skipped: " + PG_SERVER + " (user " + PG_USER + ") is unreachable: " + reason);
            System.out.println(notes.get(notes.size() - 1));
            return;
        }
        String inProcess = pgSchema();
        String host = pgSchema();
        try {
            database(new Target("PostgreSQL", PG_SERVER + "?currentSchema=" + inProcess, PG_USER,
                    "jdbcUrl = " + PG_SERVER + "?currentSchema=" + host + "\nuser = " + PG_USER + "\n"));
        } finally {
            dropPgSchema(inProcess);
            dropPgSchema(host);
        }
    }

    private void database(Target target) throws Exception {
        System.out.printf("%s: %s%n", target.name(), target.url());
        try (SessionsHarness harness = migrateQuietly(target)) {
            prepareCounters(harness);
            Sessions sessions = harness.sessions(SessionsHarness.MIN_PASSWORD_ITERATIONS);
            Fixture fixture = fixture(sessions);
            if (parts.contains("inprocess")) {
                inProcess(target, harness, fixture);
                verify(sessions, fixture.orders());
            }
            if (parts.contains("auth")) {
                authLatency(target, harness, fixture);
            }
            if (parts.contains("rpc")) {
                overJsonRpc(target, harness);
            }
        }
    }

    /** Opens the pool; Liquibase prints its migration summary to System.out whatever it is told, so it goes nowhere. */
    private static SessionsHarness migrateQuietly(Target target) throws SQLException {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            return SessionsHarness.open(target.url(), target.user(), "");
        } finally {
            System.setOut(out);
        }
    }

    /** {@code orders} are reported through the API; {@code rawOrders}, alike, only by the raw SQL of a report. */
    record Fixture(String product, String credential, String offering, AgentApi agent, List<List<Report>> orders,
            List<List<Report>> rawOrders) {
    }

    /** A product, an offering billing per MiB that no report here exhausts, orders with open sessions. */
    private static Fixture fixture(Sessions sessions) {
        String offer = sessions.registerTemplate(TemplateKind.OFFER, "{\"type\":\"object\"}").id();
        String access = sessions.registerTemplate(TemplateKind.ACCESS,
                "{\"type\":\"object\",\"required\":[\"username\",\"password\"]}").id();
        ProductCreated product = sessions.createProduct(new NewProduct("bench", offer, access, true, "vpn.example:1194",
                Map.of("proto", "udp")));
        String productId = product.product().id();
        String offering = sessions.createOffering(new NewOffering(productId, "per MiB", UnitType.BYTES, 1 << 20, 1, 0,
                0, 0, 100, 1_000_000, 3600, 0, 0)).id();
        AgentApi agent = sessions.agent(productId, product.credential());
        return new Fixture(productId, product.credential(), offering, agent, orders(sessions, agent, offering, "api"),
                orders(sessions, agent, offering, "raw"));
    }

    /**
     * Orders with open sessions. Connection names are unique within the product: starting a session closes an
     * open one of the same connection that belongs to another order.
     */
    private static List<List<Report>> orders(Sessions sessions, AgentApi agent, String offering, String prefix) {
        List<List<Report>> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            PlacedOrder placed = sessions.placeOrder(offering, 1_000_000_000L);
            String key = placed.order().clientKey();
            List<Report> connections = new ArrayList<>();
            for (int j = 0; j < CONNECTIONS_PER_ORDER; j++) {
                String connection = prefix + "-" + i + "-" + j;
                String session = agent.startSession(key, connection, "10.8.0." + (i % 250 + 1)).id();
                connections.add(new Report(key, connection, placed.order().id(), session));
            }
            orders.add(connections);
        }
        return orders;
    }

    /** Every measured report went to an open session, the last one stuck, and the orders hold the sums. */
    private static void verify(Sessions sessions, List<List<Report>> orders) {
        for (List<Report> order : orders) {
            Order stored = sessions.order(order.get(0).orderId);
            long up = order.stream().mapToLong(report -> report.up).sum();
            long down = order.stream().mapToLong(report -> report.down).sum();
            if (stored.bytesUp() != up || stored.bytesDown() != down) {
                throw new IllegalStateException("order " + stored + " does not hold the sum of its sessions' totals ("
                        + up + " up, " + down + " down)");
            }
            for (Report report : order) {
                SessionInfo session = sessions.sessions(report.orderId).stream()
                        .filter(info -> info.id().equals(report.sessionId)).findFirst().orElseThrow();
                if (session.stopped() != 0 || session.bytesUp() != report.up || session.bytesDown() != report.down) {
                    throw new IllegalStateException("session " + session + " does not hold the last report ("
                            + report.up + " up, " + report.down + " down) or is closed");
                }
            }
        }
    }

    /** The reports thread {@code thread} of {@code threads} makes: those of its own orders, interleaved. */
    private static List<Report> share(List<List<Report>> orders, int thread, int threads) {
        List<Report> mine = new ArrayList<>();
        for (int i = thread; i < orders.size(); i += threads) {
            mine.addAll(orders.get(i));
        }
        return mine;
    }

    private void inProcess(Target target, SessionsHarness harness, Fixture fixture) throws InterruptedException {
        AgentApi agent = fixture.agent();
        IntFunction<IntFunction<Op>> updates = threads -> thread -> {
            List<Report> mine = share(fixture.orders(), thread, threads);
            int[] next = {0};
            return () -> {
                Report report = mine.get(next[0]++ % mine.size());
                report.grow();
                ServiceStatus status = agent.updateSession(report.clientKey, report.connection,
                        new UsageReport(report.up, report.down));
                if (status != ServiceStatus.ACTIVE) {
                    throw new IllegalStateException("the order became " + status.wire());
                }
            };
        };
        alternate(target.name(), " in process, ", List.of(
                new Contender("raw JDBC UPDATE, autocommit", threads -> counterUpdates(harness)),
                new Contender("raw JDBC: a report's 2 UPDATEs, 1 tx", threads -> reportWrites(harness, fixture, threads)),
                new Contender("updateSession in process", updates)));
    }

    /**
     * Baseline first, every contender once to warm up, then {@link #ROUNDS} rounds in which the contenders take
     * turns at each thread count; records the mean rates and their ratios to the baseline's.
     */
    private void alternate(String database, String label, List<Contender> contenders) throws InterruptedException {
        int most = Arrays.stream(THREADS).max().orElse(1);
        for (Contender contender : contenders) {
            rate(1, seconds * contender.warmUp() / 2, contender.ops().apply(1));
            rate(most, seconds * contender.warmUp() / 2, contender.ops().apply(most));
        }
        Map<Integer, double[]> sums = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int threads : THREADS) {
                double[] sum = sums.computeIfAbsent(threads, t -> new double[contenders.size()]);
                StringBuilder line = new StringBuilder(String.format("  %s%sround %d, %d thread(s):", database, label,
                        round + 1, threads));
                for (int i = 0; i < contenders.size(); i++) {
                    double rate = rate(threads, seconds, contenders.get(i).ops().apply(threads));
                    sum[i] += rate / ROUNDS;
                    line.append(String.format(" %,.0f", rate));
                }
                System.out.println(line.append(" per second"));
            }
        }
        for (Map.Entry<Integer, double[]> e : sums.entrySet()) {
            for (int i = 0; i < contenders.size(); i++) {
                results.add(new Result(database, contenders.get(i).what(), e.getKey(), e.getValue()[i], e.getValue()[0]));
            }
        }
    }

    // ------------------------------------------------------------------ baseline

    private static void prepareCounters(SessionsHarness harness) throws SQLException {
        try (Connection c = harness.connection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_counter");
            s.execute("CREATE TABLE bench_counter (id INT NOT NULL PRIMARY KEY, n BIGINT NOT NULL)");
            for (int i = 0; i < 64; i++) {
                s.execute("INSERT INTO bench_counter (id, n) VALUES (" + i + ", 0)");
            }
        }
    }

    /** Thread {@code t} increments row {@code t}: one statement, committed on its own, per call. */
    private static IntFunction<Op> counterUpdates(SessionsHarness harness) {
        return thread -> () -> {
            try (Connection c = harness.connection();
                    PreparedStatement s = c.prepareStatement("UPDATE bench_counter SET n = n + 1 WHERE id = ?")) {
                s.setInt(1, thread);
                if (s.executeUpdate() != 1) {
                    throw new IllegalStateException("no counter row " + thread);
                }
            }
        };
    }

    /**
     * The least a report must write with this schema: its session's and its order's usage, one transaction,
     * with the statements updateSession uses (on orders of their own, never reported through the API).
     */
    private static IntFunction<Op> reportWrites(SessionsHarness harness, Fixture fixture, int threads) {
        return thread -> {
            List<Report> mine = share(fixture.rawOrders(), thread, threads);
            int[] next = {0};
            return () -> {
                Report report = mine.get(next[0]++ % mine.size());
                report.grow();
                long now = System.currentTimeMillis();
                try (Connection c = harness.connection()) {
                    c.setAutoCommit(false);
                    try (PreparedStatement s = c.prepareStatement(
                            "UPDATE sb_session SET bytes_up = ?, bytes_down = ?, last_report = ? WHERE id = ?")) {
                        s.setLong(1, report.up);
                        s.setLong(2, report.down);
                        s.setLong(3, now);
                        s.setString(4, report.sessionId);
                        s.executeUpdate();
                    }
                    try (PreparedStatement s = c.prepareStatement("UPDATE sb_order SET bytes_up = ?, bytes_down = ?,"
                            + " seconds = ?, last_usage = ? WHERE id = ?")) {
                        s.setLong(1, report.up);
                        s.setLong(2, report.down);
                        s.setLong(3, 0);
                        s.setLong(4, now);
                        s.setString(5, report.orderId);
                        s.executeUpdate();
                    }
                    c.commit();
                }
            };
        };
    }

    // ------------------------------------------------------------------ authClient

    private void authLatency(Target target, SessionsHarness harness, Fixture fixture) {
        // an order whose password is hashed with the production iterations
        Sessions production = harness.sessions(SessionsHarness.PASSWORD_ITERATIONS);
        PlacedOrder placed = production.placeOrder(fixture.offering(), 1_000_000_000L);
        String key = placed.order().clientKey();
        AgentApi agent = production.agent(fixture.product(), fixture.credential());
        List<Double> good = new ArrayList<>();
        List<Double> wrong = new ArrayList<>();
        for (int i = -5; i < AUTH_SAMPLES; i++) {
            // right and wrong alternate: the success resets the failure count, so no wrong attempt is throttled
            long t0 = System.nanoTime();
            agent.authClient(key, placed.password());
            long t1 = System.nanoTime();
            try {
                agent.authClient(key, placed.password() + "x");
                throw new IllegalStateException("a wrong password was accepted");
            } catch (SessionsException expected) {
                if (expected.reason() != SessionsException.Reason.BAD_PASSWORD) {
                    throw expected;
                }
            }
            long t2 = System.nanoTime();
            if (i >= 0) {
                good.add((t1 - t0) / 1e6);
                wrong.add((t2 - t1) / 1e6);
            }
        }
        latencies.add(latency(target.name(), "authClient, right password", good));
        latencies.add(latency(target.name(), "authClient, wrong password", wrong));
    }

    private static Latency latency(String database, String what, List<Double> samples) {
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Latency(database, what, sorted.length, percentile(sorted, 50), percentile(sorted, 99));
    }

    /** Nearest rank. */
    private static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    // ------------------------------------------------------------------ JSON-RPC

    private void overJsonRpc(Target target, SessionsHarness harness) throws Exception {
        if (!Files.isExecutable(distribution.resolve("bin/switchboard"))) {
            notes.add("JSON-RPC not measured: no distribution at " + distribution + " (mvn install the launcher)");
            System.out.println(notes.get(notes.size() - 1));
            return;
        }
        Path home = JsonRpcThroughput.copy(distribution);
        Files.writeString(home.resolve("etc/dev.switchboard.sessions-Sessions.cfg"),
                "callsign = Sessions\nstartmode = Activated\n" + target.hostCfg());
        int maxConcurrency = Arrays.stream(THREADS).max().orElse(1);
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(maxConcurrency);
        client.start();
        int port = JsonRpcThroughput.freePort();
        Process host = new ProcessBuilder(home.resolve("bin/switchboard").toString(), "--port", String.valueOf(port))
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("log/console.log").toFile()).start();
        try {
            Rpc rpc = new Rpc(client, URI.create("http://127.0.0.1:" + port + "/jsonrpc"), Host.awaitToken(home, host));
            Host.awaitSessions(() -> rpc.call("orders", Map.of()), host, home);
            RpcFixture fixture = rpcFixture(rpc);
            IntFunction<IntFunction<Op>> updates = concurrency -> thread -> {
                List<Report> mine = share(fixture.orders(), thread, concurrency);
                int[] next = {0};
                String prefix = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"Sessions.1.updateSession\",\"params\":"
                        + "{\"product\":\"" + fixture.product() + "\",\"credential\":\"" + fixture.credential() + "\"";
                return () -> {
                    Report report = mine.get(next[0]++ % mine.size());
                    report.grow();
                    String answer = rpc.post(prefix + ",\"clientKey\":\"" + report.clientKey + "\",\"connection\":\""
                            + report.connection + "\",\"bytesUp\":" + report.up + ",\"bytesDown\":" + report.down + "}}");
                    if (!answer.contains("\"result\"") || !answer.contains("\"active\"")) {
                        throw new IllegalStateException("unexpected answer " + answer);
                    }
                };
            };
            alternate(target.name(), " JSON-RPC, ", List.of(
                    new Contender("raw JDBC UPDATE (JSON-RPC rounds)", threads -> counterUpdates(harness)),
                    // the host's JIT needs longer than this process's
                    new Contender("Sessions.1.updateSession over HTTP", updates, 4)));
        } finally {
            host.destroy();
            host.waitFor();
            client.stop();
            delete(home);
        }
    }

    record RpcFixture(String product, String credential, List<List<Report>> orders) {
    }

    /** A JSON-RPC endpoint called with a token. */
    record Rpc(HttpClient client, URI uri, String token) {

        String post(String body) throws Exception {
            ContentResponse response = client.POST(uri).body(new StringRequestContent("application/json", body))
                    .headers(h -> h.put("Authorization", "Bearer " + token)).send();
            if (response.getStatus() != 200) {
                throw new IllegalStateException("HTTP " + response.getStatus() + ": " + response.getContentAsString());
            }
            return response.getContentAsString();
        }

        JsonNode call(String method, Object params) throws Exception {
            ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1)
                    .put("method", "Sessions.1." + method);
            request.set("params", JSON.valueToTree(params));
            JsonNode answer = JSON.readTree(post(JSON.writeValueAsString(request)));
            if (!answer.has("result")) {
                throw new IllegalStateException(method + ": " + answer);
            }
            return answer.get("result");
        }
    }

    private static RpcFixture rpcFixture(Rpc rpc) throws Exception {
        String offer = rpc.call("registerTemplate", Map.of("kind", "OFFER",
                "schema", Map.of("type", "object"))).get("id").asText();
        String access = rpc.call("registerTemplate", Map.of("kind", "ACCESS",
                "schema", Map.of("type", "object", "required", List.of("username", "password")))).get("id").asText();
        JsonNode created = rpc.call("createProduct", Map.of("name", "bench", "offerTemplate", offer,
                "accessTemplate", access, "agent", true, "serviceEndpoint", "vpn.example:1194",
                "config", Map.of("proto", "udp")));
        String product = created.get("product").get("id").asText();
        String credential = created.get("credential").asText();
        Map<String, Object> terms = new LinkedHashMap<>();
        terms.put("product", product);
        terms.put("name", "per MiB");
        terms.put("unitType", "BYTES");
        terms.put("unitSize", 1 << 20);
        terms.put("unitPrice", 1);
        terms.put("setupPrice", 0);
        terms.put("minUnits", 0);
        terms.put("maxUnits", 0);
        terms.put("billingInterval", 100);
        terms.put("maxBillingUnitLag", 1_000_000);
        terms.put("maxInactiveSeconds", 3600);
        terms.put("maxSuspendedSeconds", 0);
        terms.put("supply", 0);
        String offering = rpc.call("createOffering", terms).get("id").asText();
        List<List<Report>> orders = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            String key = rpc.call("placeOrder", Map.of("offering", offering, "deposit", 1_000_000_000L))
                    .get("order").get("clientKey").asText();
            List<Report> connections = new ArrayList<>();
            for (int j = 0; j < CONNECTIONS_PER_ORDER; j++) {
                String connection = "conn-" + i + "-" + j;
                String session = rpc.call("startSession", Map.of("product", product, "credential", credential,
                        "clientKey", key, "connection", connection, "clientAddress", "10.8.0." + (i + 1)))
                        .get("id").asText();
                connections.add(new Report(key, connection, null, session));
            }
            orders.add(connections);
        }
        return new RpcFixture(product, credential, orders);
    }

    // ------------------------------------------------------------------ measuring

    /** {@code threads} threads run their op back to back for the given time; answers ops per second. */
    private static double rate(int threads, double seconds, IntFunction<Op> perThread) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Op op = perThread.apply(t);
            Thread worker = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = window[1];
                long count = 0;
                while (System.nanoTime() < end) {
                    try {
                        op.run();
                        count++;
                    } catch (Throwable e) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                }
                done.addAndGet(count);
            }, "bench-" + t);
            workers.add(worker);
            worker.start();
        }
        ready.await();
        window[0] = System.nanoTime();
        window[1] = window[0] + (long) (seconds * 1e9);
        go.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - window[0]) / 1e9;
        if (failed.get() > 0) {
            System.out.printf("  %d of %d calls failed; first: %s%n", failed.get(), failed.get() + done.get(),
                    firstFailure.get());
        }
        return done.get() / elapsed;
    }

    // ------------------------------------------------------------------ output

    private void print(double totalSeconds) {
        if (!results.isEmpty()) {
            System.out.println();
            System.out.printf(Locale.ROOT, "Sessions: updateSession throughput (mean of %d rounds of %.1f s, alternating"
                    + " with the baselines after a warm-up; %d orders x %d connections)%n", ROUNDS, seconds, ORDERS,
                    CONNECTIONS_PER_ORDER);
            System.out.println();
            System.out.printf("%-11s %-36s %7s %12s %9s%n", "database", "what", "threads", "per second", "ratio");
        }
        String group = null;
        for (Result r : results) {
            String next = r.database() + "/" + (r.what().contains("JSON-RPC") || r.what().contains("HTTP"));
            if (group != null && !group.equals(next)) {
                System.out.println();
            }
            group = next;
            System.out.printf("%-11s %-36s %7d %,12.0f %9.2f%n", r.database(), r.what(), r.threads(), r.rate(),
                    r.rate() / r.baseline());
        }
        List<Result> inProcess = results.stream().filter(r -> r.what().equals("updateSession in process"))
                .sorted(Comparator.comparing(Result::database)).toList();
        if (!inProcess.isEmpty()) {
            System.out.println();
            System.out.printf("target: in-process updateSession >= %.2f of raw JDBC on the same database%n", TARGET);
            for (Result r : inProcess) {
                double ratio = r.rate() / r.baseline();
                System.out.printf("  %-11s %d thread(s): %.2f  %s%n", r.database(), r.threads(), ratio,
                        ratio >= TARGET ? "met" : "NOT met");
            }
        }
        if (!latencies.isEmpty()) {
            System.out.println();
            System.out.printf("authClient latency in process (PBKDF2-HMAC-SHA256, %,d iterations: deliberately slow,"
                    + " for right and wrong passwords alike)%n", SessionsHarness.PASSWORD_ITERATIONS);
            System.out.printf("%-11s %-36s %7s %12s %9s%n", "database", "what", "samples", "median ms", "p99 ms");
            for (Latency l : latencies) {
                System.out.printf("%-11s %-36s %7d %12.1f %9.1f%n", l.database(), l.what(), l.samples(), l.medianMs(),
                        l.p99Ms());
            }
        }
        notes.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%nwhole run: %.0f s on %d processors%n", totalSeconds,
                Runtime.getRuntime().availableProcessors());
    }

    // ------------------------------------------------------------------ PostgreSQL and files

    private static String pgUnreachable() {
        DriverManager.setLoginTimeout(5);
        try (Connection c = DriverManager.getConnection(PG_SERVER, PG_USER, "")) {
            return null;
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static String pgSchema() throws SQLException {
        String schema = "sb_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(PG_SERVER, PG_USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return schema;
    }

    private static void dropPgSchema(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_SERVER, PG_USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }
}

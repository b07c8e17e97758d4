package dev.switchboard.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Switchboard in a real Apache Karaf, installed as {@link KarafTestSupport} describes: two more DeviceInfo
 * instances are configured by files in {@code etc/} (a {@code .cfg} and a {@code .cfg.json}), calls go
 * over HTTP with a token, Sessions keeps its H2 database under {@code data/} and its health check says
 * so, and the DeviceInfo bundle is updated while another thread keeps calling. Feature
 * {@code switchboard} brings the SOCKS5 agent adapter: an operator sells a proxy product over JSON-RPC,
 * configures the proxy by a file in {@code etc/}, a client fetches through it with the order's
 * credentials, and the adapter bundle is updated while a client streams, losing none of the usage
 * reported. The client adapter's feature is installed on its own and forwards through that proxy.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeatureIT extends KarafTestSupport {

    /** RFC 1929 credentials by proxy port: the order's client key and password. */
    private static final SocksCredentials SOCKS_CREDENTIALS = new SocksCredentials();

    /** A loopback server the SOCKS5 clients reach through the proxy. */
    private final Target target = new Target();

    @Before
    public void configureInstances() throws Exception {
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Path box = etc.resolve("dev.switchboard.deviceinfo-Box.cfg");
        if (!Files.exists(box)) {
            Files.writeString(box, "callsign = Box\nstartmode = Activated\n");
        }
        // Karaf's own JSON configurations: factoryPid~name.cfg.json is the factory configuration's name
        Path panel = etc.resolve("dev.switchboard.deviceinfo~Panel.cfg.json");
        if (!Files.exists(panel)) {
            Files.writeString(panel, "{\"callsign\": \"Panel\", \"startmode\": \"Activated\"}\n");
        }
        // the JDK's SOCKS client asks the default Authenticator for the RFC 1929 user name and password
        Authenticator.setDefault(SOCKS_CREDENTIALS);
        awaitAnswer("Box");
        awaitAnswer("Panel");
    }

    @After
    public void stopTargets() throws IOException {
        target.close();
    }

    @Test
    public void boxAndDeviceInfoAnswerWithATokenAndNotWithout() throws Exception {
        String token = token();
        String systeminfo = call(token, "Box.1.systeminfo");
        assertTrue(systeminfo, systeminfo.contains("\"totalram\""));
        String versions = call(token, "DeviceInfo.1.versions");
        assertTrue(versions, versions.contains("\"JDeviceInfo\""));

        HttpResponse<String> anonymous = post(null, "DeviceInfo.1.versions");
        assertEquals(401, anonymous.statusCode());

        String status = call(token, "Controller.1.status@Box");
        assertTrue(status, status.contains("\"state\":\"Activated\""));
        String panel = call(token, "Panel.1.systeminfo");
        assertTrue(panel, panel.contains("\"totalram\""));
        assertTrue(call(token, "Controller.1.status@Panel").contains("\"state\":\"Activated\""));

        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + httpPort() + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body(), metrics.body().contains(
                "switchboard_rpc_requests_total{callsign=\"Box\",method=\"systeminfo\"}"));
        assertTrue("the plugin health check runs in Karaf", context.getServiceReferences(
                "org.apache.felix.hc.api.HealthCheck", "(hc.name=Switchboard plugins)") != null);
    }

    @Test
    public void sessionsKeepTheirH2DatabaseUnderKarafDataAndItsHealthCheckIsOk() throws Exception {
        String token = token();
        String order = placeOrder(token);
        String orders = call(token, "Sessions.1.orders", "{\"status\":\"activating\"}");
        assertTrue(orders, orders.contains("\"id\":\"" + order + "\""));
        Path database = Path.of(System.getProperty("karaf.data"), "sessions", "sessions.mv.db");
        assertTrue("the H2 database is under ${karaf.data}/sessions", Files.exists(database));
        // Karaf runs with the usual umask: the plugin makes its folder and files owner-only itself
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(database.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(database)));

        List<String> sessions = HealthChecks.run(context, "sessions");
        assertEquals(1, sessions.size());
        assertTrue(sessions.get(0), sessions.get(0).startsWith("Switchboard sessions database: OK "));
        assertTrue(sessions.get(0), sessions.get(0).contains("Sessions: H2 "));
        List<String> all = HealthChecks.run(context, "switchboard");
        assertEquals(2, all.size());
        assertTrue(all.toString(), all.stream().allMatch(result -> result.contains(": OK ")));
    }

    /**
     * Runs health checks through the Felix executor, answering "name: STATUS log" for each. A class of
     * its own: the Health Check API is there only once feature switchboard is installed, after this
     * test class is loaded.
     */
    private static final class HealthChecks {
        static List<String> run(BundleContext context, String tag) {
            ServiceReference<HealthCheckExecutor> reference = context.getServiceReference(HealthCheckExecutor.class);
            HealthCheckExecutor executor = context.getService(reference);
            try {
                List<String> results = new ArrayList<>();
                for (HealthCheckExecutionResult result : executor.execute(HealthCheckSelector.tags(tag))) {
                    results.add(result.getHealthCheckMetadata().getName() + ": "
                            + result.getHealthCheckResult().getStatus() + " " + result.getHealthCheckResult());
                }
                return results;
            } finally {
                context.ungetService(reference);
            }
        }
    }

    @Test
    public void deviceInfoBundleIsUpdatedWhileCallsGoOn() throws Exception {
        String token = token();
        Bundle deviceInfo = bundle("dev.switchboard.deviceinfo");
        long before = deviceInfo.getLastModified();

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<String> broken = new CopyOnWriteArrayList<>();
        Thread caller = new Thread(() -> {
            while (running.get()) {
                try {
                    HttpResponse<String> reply = post(token, "DeviceInfo.1.versions");
                    if (reply.statusCode() == 200 && reply.body().contains("\"result\"")) {
                        answered.incrementAndGet();
                    } else if (reply.statusCode() == 200 && reply.body().contains("\"error\"")) {
                        refused.incrementAndGet(); // the plugin is away for a moment: a JSON-RPC error
                    } else {
                        broken.add(reply.statusCode() + " " + reply.body());
                    }
                } catch (Exception e) {
                    broken.add(e.toString());
                }
            }
        }, "caller");
        caller.start();
        try {
            eventually(Duration.ofSeconds(10), () -> answered.get() > 20);
            deviceInfo.update();                                         // bundle:update
            eventually(Duration.ofSeconds(30), () -> deviceInfo.getState() == Bundle.ACTIVE);
            int afterUpdate = answered.get();
            eventually(Duration.ofSeconds(30), () -> answered.get() > afterUpdate + 20);
        } finally {
            running.set(false);
            caller.join(10_000);
        }
        assertTrue("updated", deviceInfo.getLastModified() > before);
        assertTrue("no broken answers: " + broken, broken.isEmpty());
        String systeminfo = call(token, "Box.1.systeminfo");
        assertTrue(systeminfo, systeminfo.contains("\"totalram\""));
        assertTrue(call(token, "Controller.1.status@DeviceInfo").contains("\"state\":\"Activated\""));
    }

    // ------------------------------------------------------------ SOCKS5 adapters

    private static final int FILE_BYTES = 300_007;
    private static final byte[] FILE_REQUEST = "GET /file HTTP/1.0\r\nHost: target\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STREAM_REQUEST = "GET /stream HTTP/1.0\r\nHost: target\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    public void socksAgentConfiguredInEtcMetersAClientAndKeepsItsUsageThroughABundleUpdate() throws Exception {
        assertTrue("feature switchboard brings the agent adapter",
                features.isInstalled(features.getFeature("switchboard-adapter-socks")));
        String token = token();
        Sale sale = sellProxy(token);
        // a fixed port, as an operator configures it: the updated adapter must listen on it again
        int before = configureAgent(token, "SocksProxy", sale, freePort());
        // the adapter pushed where it listens to the product's configuration (for access messages)
        String product = call(token, "Sessions.1.product", "{\"id\":\"" + sale.product() + "\"}");
        assertEquals(product, String.valueOf(before), string(product, "port"));

        long file = fetch(before);
        assertTrue("head and body: " + file, file > FILE_BYTES);
        Usage fetched = awaitRecorded(token, sale, FILE_REQUEST.length, file);

        Bundle adapter = bundle("dev.switchboard.adapter.socks");
        long modified = adapter.getLastModified();
        String orderRef = "{\"order\":\"" + sale.order() + "\"}";
        // the order as Sessions answers it over JSON-RPC, asked every 5 ms while the bundle is replaced
        List<Sample> samples = new CopyOnWriteArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean polling = new AtomicBoolean(true);
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                long start = System.nanoTime();
                try {
                    HttpResponse<String> reply = post(token, "Sessions.1.order", orderRef);
                    if (reply.statusCode() == 200 && reply.body().contains("\"result\"")) {
                        samples.add(new Sample(start, System.nanoTime(), number(reply.body(), "bytesUp"),
                                number(reply.body(), "bytesDown")));
                    } else {
                        failures.add(reply.statusCode() + " " + reply.body());
                    }
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | AssertionError e) {
                    failures.add(e.toString());
                }
            }
        }, "sessions-poller");
        // a client reading an endless download through the proxy until the proxy closes it, slower than
        // the server sends: the proxy holds bytes for it when the update cuts the connection
        AtomicLong streamed = new AtomicLong();
        AtomicReference<Socket> streaming = new AtomicReference<>();
        CompletableFuture<String> streamEnd = new CompletableFuture<>();
        Thread streamer = new Thread(() -> {
            try (Socket socket = through(before, target.port())) {
                streaming.set(socket);
                socket.getOutputStream().write(STREAM_REQUEST);
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0;) {
                    streamed.addAndGet(n);
                    Thread.sleep(50);
                }
                streamEnd.complete("end of stream");
            } catch (IOException | InterruptedException e) {
                streamEnd.complete(e.toString());
            }
        }, "socks-streamer");
        poller.start();
        streamer.start();
        long updateStart;
        long updateEnd;
        Usage afterStream;
        try {
            // the proxy reports the open connection every second: wait until Sessions has a MiB of it
            eventually(PATIENCE, () -> !samples.isEmpty()
                    && samples.get(samples.size() - 1).bytesDown() > fetched.bytesDown() + (1 << 20));
            assertFalse("still streaming", streamEnd.isDone());

            updateStart = System.nanoTime();
            adapter.update();                                                      // bundle:update
            updateEnd = System.nanoTime();

            String end = streamEnd.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            // the old instance reported the connection's final usage and stopped its session
            afterStream = awaitRecorded(token, sale, FILE_REQUEST.length + STREAM_REQUEST.length, -1);
            // what the old instance still held for the client was dropped, not recorded
            assertEquals("what the client received is recorded, to the byte (" + end + "): " + afterStream
                    + " after " + fetched + " and " + streamed.get() + " streamed",
                    fetched.bytesDown() + streamed.get(), afterStream.bytesDown());

            // a new connection to the updated adapter, listening on the same port again
            assertEquals(before, proxyPort(token, "SocksProxy", sale));
            long again = fetch(before);
            assertEquals(file, again);
            awaitRecorded(token, sale, afterStream.bytesUp() + FILE_REQUEST.length, afterStream.bytesDown() + again);
        } finally {
            polling.set(false);
            Socket socket = streaming.get();
            if (socket != null) {
                socket.close();
            }
            poller.join(10_000);
            streamer.join(10_000);
        }
        assertTrue("updated", adapter.getLastModified() > modified);
        assertTrue("Sessions answered throughout: " + failures, failures.isEmpty());
        assertTrue("Sessions answered while the adapter bundle was updated", samples.stream()
                .anyMatch(sample -> sample.start() <= updateEnd && sample.end() >= updateStart));
        long reportedBefore = samples.stream().filter(sample -> sample.end() < updateStart)
                .mapToLong(Sample::bytesDown).max().orElseThrow();
        assertTrue("usage of the open connection was reported before the update: " + reportedBefore,
                reportedBefore > fetched.bytesDown());
        assertTrue("what was reported before the update is kept: " + reportedBefore + ", then " + afterStream,
                afterStream.bytesDown() >= reportedBefore);
        for (int i = 1; i < samples.size(); i++) {
            Sample earlier = samples.get(i - 1);
            Sample later = samples.get(i);
            assertTrue("the order's usage never decreases: " + earlier + " then " + later,
                    later.bytesUp() >= earlier.bytesUp() && later.bytesDown() >= earlier.bytesDown());
        }
        assertTrue(call(token, "Controller.1.status@SocksProxy").contains("\"state\":\"Activated\""));
    }

    @Test
    public void socksClientFeatureForwardsThroughTheAgentWithTheOrdersCredentials() throws Exception {
        // not part of feature switchboard: the buyer's side, installed on its own
        assertFalse(features.isInstalled(features.getFeature("switchboard-adapter-socks-client")));
        Object sessionsService = pluginServiceId("Sessions");
        features.installFeature("switchboard-adapter-socks-client");   // feature:install switchboard-adapter-socks-client
        assertEquals("installing the feature restarted nothing (no refresh of the HTTP stack)", sessionsService,
                pluginServiceId("Sessions"));
        String token = token();
        Sale sale = sellProxy(token);
        int agent = configureAgent(token, "SocksSeller", sale, 0);
        writeEtc("dev.switchboard.socksclient-SocksBuyer.cfg", "callsign = SocksBuyer",
                "clientKey = " + sale.clientKey(), "password = " + sale.password(), "port = 0", "reportSeconds = 1");
        String status = awaitResult(token, "SocksBuyer.1.status");
        assertEquals(status, "127.0.0.1:" + agent, string(status, "agent"));

        // local clients need no credentials: the client adapter gives the order's to the agent's proxy
        long received = fetch(port(string(status, "listening")));
        assertTrue("head and body: " + received, received > FILE_BYTES);
        awaitRecorded(token, sale, FILE_REQUEST.length, received);
        eventually(PATIENCE, () -> {
            Matcher session = Pattern.compile("\\{[^{}]*\"side\":\"client\"[^{}]*}").matcher(
                    call(token, "Sessions.1.sessions", "{\"order\":\"" + sale.order() + "\"}"));
            return session.find() && number(session.group(), "bytesUp") == FILE_REQUEST.length
                    && number(session.group(), "bytesDown") == received;
        });
    }

    /** The service id of the plugin answering {@code callsign}: a new one once it restarted. */
    private Object pluginServiceId(String callsign) throws Exception {
        ServiceReference<?>[] found = context.getServiceReferences("dev.switchboard.api.plugin.Plugin",
                "(callsign=" + callsign + ")");
        assertTrue("no plugin " + callsign, found != null && found.length == 1);
        return found[0].getProperty("service.id");
    }

    /** What the operator sold: a proxy product, its adapter credential, and one order with its password. */
    private record Sale(String product, String credential, String order, String clientKey, String password) {
    }

    /** The order's cumulative usage as Sessions recorded it. */
    private record Usage(long bytesUp, long bytesDown) {
    }

    /** One answer of Sessions.1.order: when it was asked and answered (nanoTime), and the order's usage. */
    private record Sample(long start, long end, long bytesUp, long bytesDown) {
    }

    /**
     * What an operator does over JSON-RPC to sell a SOCKS5 proxy: templates, a product for an agent
     * adapter, an offering of 1 per byte, one order with a deposit that lasts through the test.
     */
    private Sale sellProxy(String token) throws Exception {
        String offer = id(call(token, "Sessions.1.registerTemplate", "{\"kind\":\"OFFER\",\"schema\":{\"type\":\"object\"}}"));
        String access = id(call(token, "Sessions.1.registerTemplate",
                "{\"kind\":\"ACCESS\",\"schema\":{\"type\":\"object\",\"required\":[\"username\",\"password\"]}}"));
        String created = call(token, "Sessions.1.createProduct", "{\"name\":\"socks\",\"offerTemplate\":\"" + offer
                + "\",\"accessTemplate\":\"" + access + "\",\"agent\":true,\"serviceEndpoint\":\"unused.invalid:1\"}");
        String product = id(created);
        String offering = id(call(token, "Sessions.1.createOffering", "{\"product\":\"" + product
                + "\",\"name\":\"bytes\",\"unitType\":\"BYTES\",\"unitSize\":1,\"unitPrice\":1,\"setupPrice\":0,"
                + "\"minUnits\":0,\"maxUnits\":0,\"billingInterval\":1,\"maxBillingUnitLag\":1073741824,"
                + "\"maxInactiveSeconds\":0,\"maxSuspendedSeconds\":0,\"supply\":0}"));
        String placed = call(token, "Sessions.1.placeOrder", "{\"offering\":\"" + offering + "\",\"deposit\":1099511627776}");
        return new Sale(product, string(created, "credential"), id(placed), string(placed, "clientKey"),
                string(placed, "password"));
    }

    /**
     * Configures an agent proxy as an operator does, by a file in etc/ (the factory configuration
     * dev.switchboard.socksagent named by the callsign), and answers the port it listens on ({@code port}, or
     * any free one for 0).
     */
    private int configureAgent(String token, String callsign, Sale sale, int port) throws Exception {
        writeEtc("dev.switchboard.socksagent-" + callsign + ".cfg", "callsign = " + callsign,
                "product = " + sale.product(), "credential = " + sale.credential(), "listenAddress = 127.0.0.1",
                "port = " + port, "reportSeconds = 1",
                // the test's target is on loopback, which a proxy does not reach unless allowed
                "allowPrivateTargets = true");
        return proxyPort(token, callsign, sale);
    }

    /** Where the agent proxy {@code callsign} listens, once it answers; its clients use the order's credentials. */
    private int proxyPort(String token, String callsign, Sale sale) throws Exception {
        int port = port(string(awaitResult(token, callsign + ".1.status"), "listening"));
        SOCKS_CREDENTIALS.put(port, sale.clientKey(), sale.password());
        return port;
    }

    /** The answer of a call once it has a result (the plugin may still be coming up). */
    private String awaitResult(String token, String method) throws Exception {
        AtomicReference<String> answer = new AtomicReference<>();
        eventually(PATIENCE, () -> {
            HttpResponse<String> reply = post(token, method);
            boolean result = reply.statusCode() == 200 && reply.body().contains("\"result\"");
            if (result) {
                answer.set(reply.body());
            }
            return result;
        });
        return answer.get();
    }

    /**
     * Waits until the order's usage is {@code bytesUp} and {@code bytesDown} ({@code -1}: any) and every
     * session of it is stopped; answers the usage.
     */
    private Usage awaitRecorded(String token, Sale sale, long bytesUp, long bytesDown) throws Exception {
        String orderRef = "{\"order\":\"" + sale.order() + "\"}";
        AtomicReference<Usage> usage = new AtomicReference<>();
        try {
            eventually(PATIENCE, () -> {
                String order = call(token, "Sessions.1.order", orderRef);
                usage.set(new Usage(number(order, "bytesUp"), number(order, "bytesDown")));
                return usage.get().bytesUp() == bytesUp && (bytesDown < 0 || usage.get().bytesDown() == bytesDown)
                        && !call(token, "Sessions.1.sessions", orderRef).matches("(?s).*\"stopped\":0[,}].*");
            });
        } catch (AssertionError e) {
            throw new AssertionError("expected " + bytesUp + " up, " + bytesDown + " down, all sessions stopped; "
                    + usage.get() + ", " + call(token, "Sessions.1.sessions", orderRef), e);
        }
        return usage.get();
    }

    private static Socket through(int proxyPort, int targetPort) throws IOException {
        Socket socket = new Socket(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", proxyPort)));
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress("127.0.0.1", targetPort), 30_000);
        return socket;
    }

    /** GETs the target's file through the proxy; answers every byte received (head and body). */
    private long fetch(int proxyPort) throws IOException {
        try (Socket socket = through(proxyPort, target.port())) {
            socket.getOutputStream().write(FILE_REQUEST);
            return socket.getInputStream().readAllBytes().length;
        }
    }

    private static int port(String hostAndPort) {
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }

    /** The first string member {@code key} in a JSON-RPC answer. */
    private static String string(String answer, String key) {
        Matcher value = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(answer);
        assertTrue(key + " in " + answer, value.find());
        return value.group(1);
    }

    /** The first number member {@code key} in a JSON-RPC answer. */
    private static long number(String answer, String key) {
        Matcher value = Pattern.compile("\"" + key + "\":(-?\\d+)").matcher(answer);
        assertTrue(key + " in " + answer, value.find());
        return Long.parseLong(value.group(1));
    }

    /** The JDK's SOCKS5 client asks for credentials by the proxy's port. */
    private static final class SocksCredentials extends Authenticator {
        private final Map<Integer, PasswordAuthentication> byPort = new ConcurrentHashMap<>();

        void put(int proxyPort, String clientKey, String password) {
            byPort.put(proxyPort, new PasswordAuthentication(clientKey, password.toCharArray()));
        }

        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
            return "SOCKS5".equals(getRequestingProtocol()) ? byPort.get(getRequestingPort()) : null;
        }
    }

    /**
     * A loopback HTTP/1.0 server: {@code GET /file} answers {@link #FILE_BYTES} bytes, {@code GET /stream}
     * sends 32 KiB every 5 ms until the client goes.
     */
    private static final class Target implements AutoCloseable {
        private final ServerSocket server;
        private final ExecutorService threads = Executors.newCachedThreadPool();

        Target() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            threads.execute(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    threads.execute(() -> serve(socket));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private static void serve(Socket socket) {
            try (socket) {
                String head = head(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                if (head.startsWith("GET /file ")) {
                    byte[] body = new byte[FILE_BYTES];
                    new Random(7).nextBytes(body);
                    out.write(("HTTP/1.0 200 OK\r\nContent-Length: " + FILE_BYTES + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                } else if (head.startsWith("GET /stream ")) {
                    out.write("HTTP/1.0 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[32 * 1024];
                    new Random(11).nextBytes(chunk);
                    while (true) {
                        out.write(chunk);
                        Thread.sleep(5);
                    }
                }
            } catch (IOException | InterruptedException gone) {
                // the client went away, or the test is over
            }
        }

        /** The request head, up to the empty line. */
        private static String head(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            return head.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
            threads.shutdownNow();
        }
    }
}

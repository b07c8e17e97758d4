package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertSame;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.sessions.api.NewOffering;
import dev.switchboard.sessions.api.NewProduct;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.ProductCreated;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.TemplateKind;
import dev.switchboard.sessions.api.UnitType;

/**
 * The SOCKS5 adapters of the launcher's bundle set in Felix: an operator sells a proxy product through
 * the Sessions service, the agent adapter is configured by callsign, a client fetches through it (and
 * through the client adapter), and the usage recorded is the bytes moved. Updating the agent bundle
 * while a client is connected loses none of its usage and leaves the client adapter running;
 * refreshing the Sessions bundle refreshes neither adapter.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SocksAdaptersIT extends SwitchboardTestSupport {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int BODY = 300_007;
    private static final byte[] REQUEST = "GET /file HTTP/1.0\r\nHost: target\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final Map<Integer, PasswordAuthentication> CREDENTIALS = new ConcurrentHashMap<>();

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private Sessions sessions;
    private ServerSocket http;
    private ServerSocket echo;

    @Before
    public void start() throws Exception {
        // the JDK's SOCKS client asks the default Authenticator for RFC 1929 credentials
        Authenticator.setDefault(new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return CREDENTIALS.get(getRequestingPort());
            }
        });
        configure("sessions", "Sessions");
        awaitPlugin("Sessions");
        sessions = awaitService(Sessions.class);
        http = serve(this::file);
        echo = serve(SocksAdaptersIT::echo);
    }

    @After
    public void stop() throws IOException {
        http.close();
        echo.close();
        threads.shutdownNow();
    }

    // ------------------------------------------------------------ targets on loopback

    private interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private ServerSocket serve(Handler handler) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    threads.execute(() -> {
                        try (socket) {
                            handler.handle(socket);
                        } catch (IOException gone) {
                            // the client went away
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        return server;
    }

    /** A one-file HTTP server: reads the request head, answers BODY bytes. */
    private void file(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        byte[] body = new byte[BODY];
        new Random(7).nextBytes(body);
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.0 200 OK\r\nContent-Length: " + BODY + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
    }

    private static void echo(Socket socket) throws IOException {
        socket.getInputStream().transferTo(socket.getOutputStream());
    }

    // ------------------------------------------------------------ helpers

    private <T> T awaitService(Class<T> type) throws Exception {
        eventually(PATIENCE, () -> context.getServiceReference(type) != null);
        ServiceReference<T> reference = context.getServiceReference(type);
        return context.getService(reference);
    }

    /** What an operator does: templates, a proxy product, a bytes offering with room to spare, an order. */
    private record Sale(ProductCreated product, PlacedOrder order) {
        String productId() {
            return product.product().id();
        }

        String clientKey() {
            return order.order().clientKey();
        }
    }

    private Sale sell() {
        String offer = sessions.registerTemplate(TemplateKind.OFFER, "{\"type\":\"object\"}").id();
        String access = sessions.registerTemplate(TemplateKind.ACCESS,
                "{\"type\":\"object\",\"required\":[\"username\",\"password\"]}").id();
        ProductCreated product = sessions.createProduct(new NewProduct("socks", offer, access, true,
                "unused.invalid:1", Map.of()));
        String offering = sessions.createOffering(new NewOffering(product.product().id(), "bytes", UnitType.BYTES, 1,
                1, 0, 0, 0, 1, 1L << 30, 0, 0, 0)).id();
        return new Sale(product, sessions.placeOrder(offering, 1L << 40));
    }

    /** Configures an agent proxy by callsign and answers the port it pushed to the product configuration. */
    private int agent(String callsign, Sale sale, long reportSeconds) throws Exception {
        configure("socksagent", callsign, "product", sale.productId(), "credential", sale.product().credential(),
                "listenAddress", "127.0.0.1", "port", 0, "reportSeconds", reportSeconds, "allowPrivateTargets", true);
        awaitPlugin(callsign);
        eventually(PATIENCE, () -> sessions.product(sale.productId()).config().containsKey("port"));
        int port = Integer.parseInt(sessions.product(sale.productId()).config().get("port"));
        CREDENTIALS.put(port, new PasswordAuthentication(sale.clientKey(), sale.order().password().toCharArray()));
        return port;
    }

    private static Socket through(int proxyPort, int targetPort) throws IOException {
        Socket socket = new Socket(new Proxy(Proxy.Type.SOCKS, new InetSocketAddress("127.0.0.1", proxyPort)));
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress("127.0.0.1", targetPort), 30_000);
        return socket;
    }

    /** GETs the file through the proxy; answers every byte received (head and body). */
    private long fetch(int proxyPort) throws IOException {
        try (Socket socket = through(proxyPort, http.getLocalPort())) {
            socket.getOutputStream().write(REQUEST);
            return socket.getInputStream().readAllBytes().length;
        }
    }

    private void awaitRecorded(Sale sale, long up, long down) throws Exception {
        eventually(PATIENCE, () -> {
            Order order = sessions.order(sale.order().order().id());
            return order.bytesUp() == up && order.bytesDown() == down
                    && sessions.sessions(order.id()).stream().allMatch(s -> s.stopped() > 0);
        });
    }

    private long clientSide(Sale sale, boolean up) {
        return sessions.sessions(sale.order().order().id()).stream().filter(s -> s.side().equals("client"))
                .mapToLong(up ? SessionInfo::bytesUp : SessionInfo::bytesDown).sum();
    }

    private static int port(String hostAndPort) {
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }

    // ------------------------------------------------------------ tests

    @Test
    public void fetchThroughTheAgentAndThroughTheClientAdapter() throws Exception {
        Sale sale = sell();
        int agentPort = agent("SocksProxy", sale, 1);

        long received = fetch(agentPort);
        assertTrue("head and body: " + received, received > BODY);
        awaitRecorded(sale, REQUEST.length, received);

        JsonNode status = client().call("SocksProxy.1.status", null).result();
        assertEquals("127.0.0.1:" + agentPort, status.get("listening").asText());
        assertEquals(sale.productId(), status.get("product").asText());
        assertEquals(received, status.get("bytesDown").asLong());

        configure("socksclient", "SocksClient", "clientKey", sale.clientKey(), "password", sale.order().password(),
                "port", 0, "reportSeconds", 1L);
        awaitPlugin("SocksClient");
        JsonNode local = client().call("SocksClient.1.status", null).result();
        assertEquals("127.0.0.1:" + agentPort, local.get("agent").asText());
        // local clients need no credentials
        long again = fetch(port(local.get("listening").asText()));
        assertEquals(received, again);
        awaitRecorded(sale, 2L * REQUEST.length, 2 * received);
        eventually(PATIENCE, () -> clientSide(sale, true) == REQUEST.length && clientSide(sale, false) == again);
    }

    @Test
    public void updatingTheAgentBundleLosesNoUsageAndLeavesTheClientAdapterAlone() throws Exception {
        Sale sale = sell();
        // no periodic report: only the final one at deactivation can record the usage
        int before = agent("Swap", sale, 3600);
        configure("socksclient", "SwapClient", "clientKey", sale.clientKey(), "password", sale.order().password(),
                "port", 0, "reportSeconds", 1L);
        awaitPlugin("SwapClient");
        Object clientService = pluginServiceId("SwapClient");

        byte[] sent = new byte[123_457];
        new Random(3).nextBytes(sent);
        try (Socket socket = through(before, echo.getLocalPort())) {
            socket.getOutputStream().write(sent);
            assertEquals(sent.length, socket.getInputStream().readNBytes(sent.length).length);
            assertEquals("nothing reported yet", 0, sessions.order(sale.order().order().id()).bytesUp());

            installedBundle("dev.switchboard.adapter.socks").update();

            assertEquals("the update closed the connection", -1, socket.getInputStream().read());
        }
        awaitRecorded(sale, sent.length, sent.length);

        // the updated bundle serves again, on a new port it pushed to the product configuration
        awaitPlugin("Swap");
        eventually(PATIENCE, () -> !String.valueOf(before).equals(sessions.product(sale.productId()).config().get("port")));
        int after = Integer.parseInt(sessions.product(sale.productId()).config().get("port"));
        assertNotEquals(before, after);
        CREDENTIALS.put(after, new PasswordAuthentication(sale.clientKey(), sale.order().password().toCharArray()));
        long received = fetch(after);
        awaitRecorded(sale, sent.length + REQUEST.length, sent.length + received);

        assertEquals(Bundle.ACTIVE, installedBundle("dev.switchboard.adapter.socks.client").getState());
        assertEquals("the client adapter kept running", clientService, pluginServiceId("SwapClient"));
    }

    @Test
    public void refreshingTheSessionsBundleRefreshesNeitherAdapter() throws Exception {
        Sale sale = sell();
        agent("Kept", sale, 1);
        Bundle sessionsBundle = installedBundle("dev.switchboard.sessions");
        FrameworkWiring framework = context.getBundle(0).adapt(FrameworkWiring.class);
        // the adapters import the Sessions API from its own bundle, so nothing is wired to the implementation
        assertEquals(List.of(sessionsBundle), List.copyOf(framework.getDependencyClosure(List.of(sessionsBundle))));
        Map<Bundle, BundleWiring> adapters = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            if (bundle.getSymbolicName().startsWith("dev.switchboard.adapter.")) {
                adapters.put(bundle, bundle.adapt(BundleWiring.class));
            }
        }
        assertTrue("both SOCKS5 adapters at least: " + adapters.keySet(), adapters.size() >= 2);

        sessionsBundle.update();
        CountDownLatch refreshed = new CountDownLatch(1);
        framework.refreshBundles(List.of(sessionsBundle), event -> refreshed.countDown());
        assertTrue("the refresh ended", refreshed.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));

        adapters.forEach((bundle, wiring) -> {
            assertSame(bundle.getSymbolicName() + " was not refreshed", wiring, bundle.adapt(BundleWiring.class));
            assertEquals(bundle.getSymbolicName(), Bundle.ACTIVE, bundle.getState());
        });

        // the agent adapter sells through the new Sessions service, on the port it pushed to the product
        awaitPlugin("Sessions");
        sessions = awaitService(Sessions.class);
        awaitPlugin("Kept");
        long[] received = new long[1];
        eventually(PATIENCE, () -> {
            int port = Integer.parseInt(sessions.product(sale.productId()).config().get("port"));
            CREDENTIALS.put(port, new PasswordAuthentication(sale.clientKey(), sale.order().password().toCharArray()));
            try {
                received[0] = fetch(port);
                return true;
            } catch (IOException notYetListening) {
                return false;
            }
        });
        awaitRecorded(sale, REQUEST.length, received[0]);
    }

    /** The service id of the plugin answering {@code callsign}: a new one after a restart. */
    private Object pluginServiceId(String callsign) throws Exception {
        ServiceReference<?>[] found = context.getServiceReferences("dev.switchboard.api.plugin.Plugin",
                "(callsign=" + callsign + ")");
        assertTrue("no plugin " + callsign, found != null && found.length == 1);
        return found[0].getProperty("service.id");
    }
}

package dev.switchboard.adapter.socks.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.adapter.socks.testing.Curl;
import dev.switchboard.adapter.socks.testing.Market;
import dev.switchboard.adapter.socks.testing.Socks;
import dev.switchboard.adapter.socks.testing.SocksTestBase;
import dev.switchboard.adapter.socks.testing.Targets;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.SessionsException;

/**
 * The agent-side proxy against the real Sessions service on H2 and real clients (the JDK's SOCKS
 * client, curl): what it relays is what the sessions database records.
 */
class SocksAgentPluginTest extends SocksTestBase {

    static final Duration PATIENCE = Duration.ofSeconds(30);
    /** RFC 1929: any status but 0 is a failure; netty's is 0xFF. */
    static final int AUTH_FAILURE = 0xff;

    @BeforeEach
    void start() {
        startAgent(Map.of());
    }

    // ------------------------------------------------------------ helpers

    InetSocketAddress echo(String host) {
        return new InetSocketAddress(host, targets.echoPort());
    }

    Order order() {
        return sessions.order(order.order().id());
    }

    List<SessionInfo> agentSessions(PlacedOrder placed) {
        return sessions.sessions(placed.order().id()).stream().filter(s -> s.side().equals("agent")).toList();
    }

    /** Waits until the order's sessions are all stopped and it recorded exactly these totals. */
    void awaitRecorded(PlacedOrder placed, long up, long down) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            Order now = sessions.order(placed.order().id());
            assertThat(agentSessions(placed)).isNotEmpty().allMatch(s -> s.stopped() > 0);
            assertThat(new long[] {now.bytesUp(), now.bytesDown()}).containsExactly(up, down);
        });
    }

    // ------------------------------------------------------------ set-up

    @Test
    void pushesWhereToConnectIntoTheAccessMessageKeepingTheOperatorsSettings() {
        assertThat(sessions.product(market.productId()).config()).containsEntry("host", "127.0.0.1")
                .containsEntry("port", String.valueOf(port)).containsEntry("operator", "kept");
        Map<String, Object> access = sessions.client(order.order().clientKey(), order.password()).getAccess();
        assertThat(access.get("additionalParams")).isEqualTo(Map.of("host", "127.0.0.1", "port",
                String.valueOf(port), "operator", "kept"));
        assertThat(agent.plugin().status().listening()).isEqualTo("127.0.0.1:" + port);
    }

    @Test
    void aWrongCredentialOrABusyPortFailsActivation() throws IOException {
        assertThatThrownBy(() -> RunningAgent.start(db, market, Map.of("credential", "forged")))
                .isInstanceOf(SessionsException.class);
        assertThatThrownBy(() -> RunningAgent.start(db, market, Map.of("product", "")))
                .isInstanceOf(IllegalArgumentException.class);
        try (ServerSocket busy = new ServerSocket(0)) {
            assertThatThrownBy(() -> RunningAgent.start(db, market, Map.of("port", busy.getLocalPort())))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot listen");
        }
    }

    // ------------------------------------------------------------ relaying and usage

    @Test
    void ipv4TargetUsageIsExactlyTheBytesRelayed() throws Exception {
        try (Socket socket = Socks.connect(port, echo("127.0.0.1"))) {
            Socks.echoed(socket, 300_001);
        }
        awaitRecorded(order, 300_001, 300_001);
        assertThat(agentSessions(order)).hasSize(1).first()
                .satisfies(s -> assertThat(s.clientAddress()).isEqualTo("127.0.0.1"));
        assertThat(order().status()).isEqualTo(ServiceStatus.ACTIVE);
    }

    @Test
    void ipv6TargetThroughAnIpv6Request() throws Exception {
        try (Socket socket = Socks.connect(port, echo("::1"))) {
            Socks.echoed(socket, 70_000);
        }
        awaitRecorded(order, 70_000, 70_000);
    }

    @Test
    void domainNameIsResolvedByTheProxy() throws Exception {
        try (Socket socket = Socks.connect(port, InetSocketAddress.createUnresolved("localhost", targets.echoPort()))) {
            Socks.echoed(socket, 12_345);
        }
        awaitRecorded(order, 12_345, 12_345);
    }

    @Test
    void httpDownloadWithTheJdkClientIsRecordedWithinHeaderOverhead() throws Exception {
        HttpURLConnection http = (HttpURLConnection) URI.create("http://127.0.0.1:" + targets.httpPort() + "/file")
                .toURL().openConnection(Socks.proxy(port));
        // else the JDK keeps the connection for reuse, and the session open, for seconds
        http.setRequestProperty("Connection", "close");
        byte[] body;
        try (InputStream in = http.getInputStream()) {
            body = in.readAllBytes();
        } finally {
            http.disconnect();
        }
        assertThat(body).isEqualTo(targets.file());
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(agentSessions(order)).isNotEmpty().allMatch(s -> s.stopped() > 0);
            Order now = order();
            assertThat(now.bytesDown()).isBetween((long) Targets.FILE_SIZE, Targets.FILE_SIZE + 1024L);
            assertThat(now.bytesUp()).isBetween(20L, 1024L);
        });
    }

    @Test
    void curlDownloadIsRecordedToTheByte() throws Exception {
        assumeTrue(Curl.available(), "curl is not installed");
        Curl.Result result = Curl.get("socks5h://" + order.order().clientKey() + ":" + order.password()
                + "@127.0.0.1:" + port, "http://localhost:" + targets.httpPort() + "/file");
        assertThat(result.exit()).as(result.error()).isZero();
        assertThat(result.bodyBytes()).isEqualTo(Targets.FILE_SIZE);
        awaitRecorded(order, result.requestBytes(), result.headerBytes() + result.bodyBytes());
    }

    @Test
    void anUploadClosedRightAwayStillReachesASlowTargetWhole() throws Exception {
        long before = targets.sunk();
        byte[] upload = new byte[2_000_003];
        try (Socket socket = Socks.connect(port, new InetSocketAddress("127.0.0.1", targets.sinkPort()))) {
            socket.getOutputStream().write(upload);
        }
        awaitRecorded(order, upload.length, 0);
        await().atMost(PATIENCE).until(() -> targets.sunk() - before == upload.length);
    }

    @Test
    void connectionsOfOneClientShareOneSessionAndItsTotals() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sockets.add(Socks.connect(port, echo("127.0.0.1")));
        }
        for (int i = 0; i < sockets.size(); i++) {
            Socks.echoed(sockets.get(i), 1000 * (i + 1));
        }
        JSocksProxy.Status status = agent.plugin().status();
        assertThat(status.connections()).isEqualTo(3);
        assertThat(status.clients()).singleElement().satisfies(c -> {
            assertThat(c.clientKey()).isEqualTo(order.order().clientKey());
            assertThat(c.connections()).isEqualTo(3);
            assertThat(c.session()).startsWith("SocksProxy-");
        });
        for (Socket socket : sockets) {
            socket.close();
        }
        awaitRecorded(order, 6000, 6000);
        assertThat(agentSessions(order)).hasSize(1);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(agent.plugin().status().clients()).isEmpty());
        assertThat(agent.plugin().status().bytesUp()).isEqualTo(6000);
    }

    @Test
    void aNewVisitAfterTheLastConnectionClosedIsANewSession() throws Exception {
        try (Socket socket = Socks.connect(port, echo("127.0.0.1"))) {
            Socks.echoed(socket, 100);
        }
        awaitRecorded(order, 100, 100);
        try (Socket socket = Socks.connect(port, echo("127.0.0.1"))) {
            Socks.echoed(socket, 50);
        }
        awaitRecorded(order, 150, 150);
        assertThat(agentSessions(order)).hasSize(2);
    }

    @Test
    void usageIsReportedPeriodicallyWhileTheConnectionStaysOpen() throws Exception {
        try (Socket socket = Socks.connect(port, echo("127.0.0.1"))) {
            Socks.echoed(socket, 4096);
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(order().bytesUp()).isEqualTo(4096);
                assertThat(agentSessions(order)).singleElement().satisfies(s -> assertThat(s.stopped()).isZero());
            });
        }
    }

    @Test
    void bytesAClientSendsAheadOfEveryReplyAreRelayedInOrder() throws Exception {
        byte[] payload = "pipelined payload".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = Socks.raw(port)) {
            OutputStream out = socket.getOutputStream();
            out.write(concat(Socks.greetingAndLogin(order.order().clientKey(), order.password()),
                    Socks.command(1, new byte[] {127, 0, 0, 1}, targets.echoPort()), payload));
            out.flush();
            byte[] replies = Socks.read(socket, 2 + 2 + 10);
            assertThat(replies).startsWith(5, 2, 1, 0, 5, 0, 0, 1);
            assertThat(Socks.read(socket, payload.length)).isEqualTo(payload);
        }
        awaitRecorded(order, payload.length, payload.length);
    }

    @Test
    void deactivationReportsTheFinalUsageOfOpenConnectionsAndClosesThem() throws Exception {
        agent.close();
        agent = RunningAgent.start(db, market, Map.of("reportSeconds", 3600L));
        port = agent.port();
        Socks.credentials(port, order.order().clientKey(), order.password());
        try (Socket socket = Socks.connect(port, echo("127.0.0.1"))) {
            Socks.echoed(socket, 77_777);
            assertThat(order().bytesUp()).as("no periodic report yet").isZero();
            agent.close();
            // deactivation returns once the usage is recorded
            assertThat(order().bytesUp()).isEqualTo(77_777);
            assertThat(order().bytesDown()).isEqualTo(77_777);
            assertThat(agentSessions(order)).allMatch(s -> s.stopped() > 0);
            assertThat(Socks.closedByPeer(socket)).isTrue();
        }
    }

    // ------------------------------------------------------------ the service status decides

    /** Reads the endless stream through the proxy until the proxy closes it; counts what arrived. */
    CompletableFuture<Long> stream(int proxyPort, AtomicLong received) throws IOException {
        Socket socket = Socks.connect(proxyPort, new InetSocketAddress("127.0.0.1", targets.httpPort()));
        socket.getOutputStream().write(Socks.request("/stream"));
        return Socks.readUntilClosed(socket, received);
    }

    /** A raw RFC 1929 login: answers the authentication status (0 success, netty's failure is 0xFF). */
    static int login(int proxyPort, PlacedOrder placed) throws IOException {
        try (Socket socket = Socks.raw(proxyPort)) {
            socket.getOutputStream().write(Socks.greetingAndLogin(placed.order().clientKey(), placed.password()));
            byte[] reply = Socks.read(socket, 4);
            assertThat(reply).hasSize(4).startsWith(5, 2, 1);
            return reply[3] & 0xff;
        }
    }

    @Test
    void suspensionCutsTheClientAndRefusesItUntilResumed() throws Exception {
        AtomicLong received = new AtomicLong();
        CompletableFuture<Long> streaming = stream(port, received);
        await().atMost(PATIENCE).until(() -> received.get() > 100_000);

        sessions.suspend(order.order().id());
        long total = streaming.get(30, TimeUnit.SECONDS);

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(order().status()).isEqualTo(ServiceStatus.SUSPENDED);
            assertThat(order().bytesDown()).isEqualTo(total);
        });
        assertThat(login(port, order)).as("suspended: authentication fails").isEqualTo(AUTH_FAILURE);

        sessions.resume(order.order().id());
        assertThat(login(port, order)).isZero();
        try (Socket socket = Socks.connect(port, echo("127.0.0.1"))) {
            Socks.echoed(socket, 10);
        }
        await().atMost(PATIENCE).until(() -> order().status() == ServiceStatus.ACTIVE);
    }

    @Test
    void aReportAnsweredWithAnotherStatusThanActiveCutsTheClient() throws Exception {
        // no events: only the status updateSession answers can cut the client
        Market unpaid = Market.open(sessions, 200_000);
        PlacedOrder placed = unpaid.order();
        try (RunningAgent other = RunningAgent.start(db, unpaid, Map.of("callsign", "Unpaid"), false)) {
            Socks.credentials(other.port(), placed.order().clientKey(), placed.password());
            AtomicLong received = new AtomicLong();
            long total = stream(other.port(), received).get(60, TimeUnit.SECONDS);
            assertThat(total).isGreaterThan(200_000);
            await().atMost(PATIENCE).untilAsserted(() -> {
                Order now = sessions.order(placed.order().id());
                assertThat(now.status()).isEqualTo(ServiceStatus.SUSPENDED);
                assertThat(now.bytesDown()).isEqualTo(total);
            });
            assertThat(login(other.port(), placed)).isEqualTo(AUTH_FAILURE);

            sessions.recordPayment(placed.order().id(), 1L << 30);
            assertThat(sessions.order(placed.order().id()).status()).isEqualTo(ServiceStatus.ACTIVATING);
            assertThat(login(other.port(), placed)).isZero();
        }
    }

    @Test
    void theServiceStoppingItsSessionCutsTheClient() throws Exception {
        AtomicLong received = new AtomicLong();
        CompletableFuture<Long> streaming = stream(port, received);
        await().atMost(PATIENCE).until(() -> received.get() > 0);
        SessionInfo open = agentSessions(order).get(0);

        sessions.agent(market.productId(), market.credential()).stopSession(order.order().clientKey(),
                open.connection(), null);
        long total = streaming.get(30, TimeUnit.SECONDS);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(order().bytesDown()).isEqualTo(total));
        // the order is still active: the client may come back
        try (Socket socket = Socks.connect(port, echo("127.0.0.1"))) {
            Socks.echoed(socket, 10);
        }
    }

    @Test
    void aTerminatedOrderCannotAuthenticate() throws Exception {
        try (Socket socket = Socks.connect(port, echo("127.0.0.1"))) {
            Socks.echoed(socket, 10);
        }
        awaitRecorded(order, 10, 10);
        sessions.terminate(order.order().id());
        assertThat(order().status()).isEqualTo(ServiceStatus.TERMINATED);
        assertThat(login(port, order)).isEqualTo(AUTH_FAILURE);
    }

    static byte[] concat(byte[]... parts) {
        int size = 0;
        for (byte[] part : parts) {
            size += part.length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}

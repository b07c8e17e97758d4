package dev.switchboard.adapter.socks.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.adapter.socks.internal.RunningAgent;
import dev.switchboard.adapter.socks.testing.Curl;
import dev.switchboard.adapter.socks.testing.Market;
import dev.switchboard.adapter.socks.testing.Socks;
import dev.switchboard.adapter.socks.testing.SocksTestBase;
import dev.switchboard.adapter.socks.testing.Targets;
import dev.switchboard.sessions.api.ClientApi;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsException;

/**
 * The client side in front of a real agent side, both on one real Sessions service on H2 (as if the
 * order were imported on the client node): local clients without credentials reach targets through
 * the agent, and both sides record the same bytes.
 */
class SocksClientPluginTest extends SocksTestBase {

    static final Duration PATIENCE = Duration.ofSeconds(30);
    static final byte[] LOCALHOST = {127, 0, 0, 1};

    SocksClientPlugin client;
    /** The adapter's getAccess calls since {@link #restartCountingAccessReads}; they throw this while set. */
    final AtomicInteger accessReads = new AtomicInteger();
    volatile RuntimeException accessFailure;

    @BeforeEach
    void start() {
        agent = RunningAgent.start(db, market, Map.of());
        order = market.order();
        client = client(order, Map.of());
        port = port(client);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.deactivate();
        }
    }

    static SocksClientPlugin client(PlacedOrder placed, Map<String, Object> overrides) {
        return client(sessions, placed, overrides);
    }

    static SocksClientPlugin client(Sessions through, PlacedOrder placed, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put("callsign", "SocksClient");
        config.put("clientKey", placed.order().clientKey());
        config.put("password", placed.password());
        config.put("port", 0);
        config.put("reportSeconds", 1L);
        config.putAll(overrides);
        return new SocksClientPlugin(through, config);
    }

    /** {@code real}, with the calls of its method {@code name} answered by {@code replacement}. */
    static <T> T replacing(Class<T> type, T real, String name, Function<Object[], Object> replacement) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    if (method.getName().equals(name)) {
                        return replacement.apply(args);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }

    /** Restarts the adapter on the order's face that counts its getAccess calls and fails them on demand. */
    void restartCountingAccessReads() {
        client.deactivate();
        Sessions counting = replacing(Sessions.class, sessions, "client", login -> {
            ClientApi real = sessions.client((String) login[0], (String) login[1]);
            return replacing(ClientApi.class, real, "getAccess", none -> {
                accessReads.incrementAndGet();
                if (accessFailure != null) {
                    throw accessFailure;
                }
                return real.getAccess();
            });
        });
        client = client(counting, order, Map.of());
        port = port(client);
        accessReads.set(0);
    }

    static int port(SocksClientPlugin plugin) {
        String listening = plugin.status().listening();
        return Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
    }

    List<SessionInfo> sessionsOf(String side) {
        return sessions.sessions(order.order().id()).stream().filter(s -> s.side().equals(side)).toList();
    }

    /** Waits until both sides closed their sessions; the agent's totals are the order's. */
    void awaitRecordedOnBothSides(long up, long down) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (String side : List.of("agent", "client")) {
                List<SessionInfo> closed = sessionsOf(side);
                assertThat(closed).as(side).isNotEmpty().allMatch(s -> s.stopped() > 0);
                assertThat(closed.stream().mapToLong(SessionInfo::bytesUp).sum()).as(side + " up").isEqualTo(up);
                assertThat(closed.stream().mapToLong(SessionInfo::bytesDown).sum()).as(side + " down").isEqualTo(down);
            }
            Order now = sessions.order(order.order().id());
            assertThat(new long[] {now.bytesUp(), now.bytesDown()}).containsExactly(up, down);
        });
    }

    /** A local CONNECT without authentication; answers the reply's status byte. */
    int connectStatus(byte[] request) throws IOException {
        try (Socket socket = Socks.raw(port)) {
            socket.getOutputStream().write(new byte[] {5, 1, 0});
            assertThat(Socks.read(socket, 2)).containsExactly(5, 0);
            socket.getOutputStream().write(request);
            byte[] reply = Socks.read(socket, 10);
            assertThat(reply).hasSize(10).startsWith(5);
            return reply[1] & 0xff;
        }
    }

    // ------------------------------------------------------------ through both adapters

    @Test
    void readsTheAgentsEndpointFromTheAccessMessage() {
        JSocksClient.Status status = client.status();
        assertThat(status.agent()).isEqualTo("127.0.0.1:" + agent.port());
        assertThat(status.listening()).startsWith("127.0.0.1:");
        assertThat(status.clientKey()).isEqualTo(order.order().clientKey());
    }

    @Test
    void curlWithoutCredentialsReachesTheTargetAndBothSidesRecordTheSameBytes() throws Exception {
        assumeTrue(Curl.available(), "curl is not installed");
        Curl.Result result = Curl.get("socks5h://127.0.0.1:" + port, "http://localhost:" + targets.httpPort() + "/file");
        assertThat(result.exit()).as(result.error()).isZero();
        assertThat(result.bodyBytes()).isEqualTo(Targets.FILE_SIZE);
        awaitRecordedOnBothSides(result.requestBytes(), result.headerBytes() + result.bodyBytes());
    }

    @Test
    void theJdkClientOverIpv4Ipv6AndNames() throws Exception {
        for (SocketAddress target : List.of(new InetSocketAddress("127.0.0.1", targets.echoPort()),
                new InetSocketAddress("::1", targets.echoPort()),
                InetSocketAddress.createUnresolved("localhost", targets.echoPort()))) {
            try (Socket socket = Socks.connect(port, target)) {
                Socks.echoed(socket, 50_000);
            }
        }
        awaitRecordedOnBothSides(150_000, 150_000);
        assertThat(sessionsOf("client")).hasSizeBetween(1, 3);
    }

    @Test
    void usageIsReportedWhileTheConnectionStaysOpen() throws Exception {
        try (Socket socket = Socks.connect(port, new InetSocketAddress("127.0.0.1", targets.echoPort()))) {
            Socks.echoed(socket, 2048);
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(sessionsOf("client")).singleElement()
                    .satisfies(s -> {
                        assertThat(s.bytesUp()).isEqualTo(2048);
                        assertThat(s.stopped()).isZero();
                    }));
            assertThat(client.status().sessions()).singleElement()
                    .satisfies(s -> assertThat(s.connections()).isEqualTo(1));
        }
    }

    @Test
    void deactivationReportsTheFinalUsage() throws Exception {
        client.deactivate();
        client = client(order, Map.of("reportSeconds", 3600L));
        port = port(client);
        try (Socket socket = Socks.connect(port, new InetSocketAddress("127.0.0.1", targets.echoPort()))) {
            Socks.echoed(socket, 4321);
            client.deactivate();
            assertThat(sessionsOf("client")).singleElement().satisfies(s -> {
                assertThat(s.bytesUp()).isEqualTo(4321);
                assertThat(s.bytesDown()).isEqualTo(4321);
                assertThat(s.stopped()).isPositive();
            });
            assertThat(Socks.closedByPeer(socket)).isTrue();
        } finally {
            client = null;
        }
    }

    // ------------------------------------------------------------ refusals reach the local client

    @Test
    void theAgentsReplyStatusIsPassedOn() throws IOException {
        assertThat(connectStatus(Socks.command(1, LOCALHOST, Targets.closedPort()))).as("refused").isEqualTo(5);
        byte[] name = "no-such-host.invalid".getBytes(StandardCharsets.US_ASCII);
        byte[] unresolvable = new byte[7 + name.length];
        unresolvable[0] = 5;
        unresolvable[1] = 1;
        unresolvable[3] = 3;
        unresolvable[4] = (byte) name.length;
        System.arraycopy(name, 0, unresolvable, 5, name.length);
        unresolvable[unresolvable.length - 1] = 80;
        assertThat(connectStatus(unresolvable)).as("unresolvable").isEqualTo(4);
    }

    @Test
    void bindAndUdpAreUnsupportedLocally() throws IOException {
        assertThat(connectStatus(Socks.command(2, LOCALHOST, 80))).isEqualTo(7);
        assertThat(connectStatus(Socks.command(3, LOCALHOST, 0))).isEqualTo(7);
    }

    @Test
    void localClientsOfferingOnlyPasswordsAreAnsweredFF() throws IOException {
        try (Socket socket = Socks.raw(port)) {
            socket.getOutputStream().write(new byte[] {5, 1, 2});
            assertThat(Socks.read(socket, 3)).containsExactly(5, 0xff);
        }
    }

    @Test
    void aSuspendedOrderIsCutByTheAgentAndRefusedAfterwards() throws Exception {
        Socket socket = Socks.connect(port, new InetSocketAddress("127.0.0.1", targets.httpPort()));
        socket.getOutputStream().write(Socks.request("/stream"));
        AtomicLong received = new AtomicLong();
        CompletableFuture<Long> streaming = Socks.readUntilClosed(socket, received);
        await().atMost(PATIENCE).until(() -> received.get() > 50_000);

        sessions.suspend(order.order().id());
        long total = streaming.get(30, TimeUnit.SECONDS);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(sessions.order(order.order().id()).status()).isEqualTo(ServiceStatus.SUSPENDED);
            assertThat(sessionsOf("client")).isNotEmpty().allMatch(s -> s.stopped() > 0);
            // what the local client received, nothing that was still queued for it at the cut
            assertThat(sessionsOf("client").stream().mapToLong(SessionInfo::bytesDown).sum()).isEqualTo(total);
        });
        assertThat(connectStatus(Socks.command(1, LOCALHOST, targets.echoPort())))
                .as("the agent refuses the order's credentials: not allowed").isEqualTo(2);
    }

    @Test
    void anUnreachableAgentIsAGeneralFailure() throws IOException {
        restartCountingAccessReads();
        String endpoint = client.status().agent();
        agent.close();
        assertThat(connectStatus(Socks.command(1, LOCALHOST, targets.echoPort()))).isEqualTo(1);
        assertThat(accessReads).as("the access message was read again: it names the same endpoint").hasValue(1);
        assertThat(client.status().agent()).isEqualTo(endpoint);
    }

    @Test
    void aWrongPasswordOrABusyPortFailsActivation() {
        PlacedOrder other = market.order();
        assertThatThrownBy(() -> client(other, Map.of("password", "wrong"))).isInstanceOf(SessionsException.class);
        assertThatThrownBy(() -> client(other, Map.of("port", port))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot listen");
    }

    @Test
    void anAgentHostThatDoesNotResolveAtActivationIsResolvedAgainForEachConnection() throws Exception {
        // the product's endpoint until its agent pushes one: a name that resolves nowhere
        Market unresolved = Market.open(sessions, 1L << 30, "agent.invalid:1080");
        client.deactivate();
        client = client(unresolved.order(), Map.of());
        port = port(client);
        assertThat(client.status().agent()).isEqualTo("agent.invalid:1080");
        assertThat(connectStatus(Socks.command(1, LOCALHOST, targets.echoPort()))).as("general failure").isEqualTo(1);
        assertThat(connectStatus(Socks.command(1, LOCALHOST, targets.echoPort()))).as("tried again").isEqualTo(1);

        // the agent starts and pushes where it listens: the next connection reads the access message again
        try (RunningAgent started = RunningAgent.start(db, unresolved, Map.of("callsign", "Started"))) {
            try (Socket socket = Socks.connect(port, new InetSocketAddress("127.0.0.1", targets.echoPort()))) {
                Socks.echoed(socket, 100);
            }
            assertThat(client.status().agent()).isEqualTo("127.0.0.1:" + started.port());
        }
    }

    // ------------------------------------------------------------ an agent that moves

    @Test
    void theNextConnectionFollowsAMovedAgentAndIsRecorded() throws Exception {
        String before = client.status().agent();
        // the new agent pushes its endpoint into the product's configuration: getAccess answers it from now on
        try (RunningAgent moved = RunningAgent.start(db, market, Map.of())) {
            agent.close();
            try (Socket socket = Socks.connect(port, new InetSocketAddress("127.0.0.1", targets.echoPort()))) {
                Socks.echoed(socket, 3000);
            }
            assertThat(client.status().agent()).isNotEqualTo(before).isEqualTo("127.0.0.1:" + moved.port());
            awaitRecordedOnBothSides(3000, 3000);
        }
    }

    @Test
    void aFailedRereadKeepsTheEndpointUntilOneSucceeds() throws Exception {
        restartCountingAccessReads();
        String before = client.status().agent();
        accessFailure = new SessionsException(SessionsException.Reason.DATABASE_UNAVAILABLE, "down for the test");
        try (RunningAgent moved = RunningAgent.start(db, market, Map.of())) {
            agent.close();
            assertThat(connectStatus(Socks.command(1, LOCALHOST, targets.echoPort()))).isEqualTo(1);
            assertThat(accessReads).hasValue(1);
            assertThat(client.status().agent()).isEqualTo(before);

            accessFailure = null;
            try (Socket socket = Socks.connect(port, new InetSocketAddress("127.0.0.1", targets.echoPort()))) {
                Socks.echoed(socket, 100);
            }
            assertThat(accessReads).hasValue(2);
            assertThat(client.status().agent()).isEqualTo("127.0.0.1:" + moved.port());
        }
    }
}

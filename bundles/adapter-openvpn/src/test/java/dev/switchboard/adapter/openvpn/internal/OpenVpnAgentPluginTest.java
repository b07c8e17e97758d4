package dev.switchboard.adapter.openvpn.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.adapter.openvpn.testing.Tun;
import dev.switchboard.adapter.openvpn.testing.VpnClient;
import dev.switchboard.adapter.socks.testing.Market;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.internal.TestSessions;

class OpenVpnAgentPluginTest {

    @TempDir
    Path dir;
    private TestSessions db;
    private Market market;
    private RunningVpnAgent agent;

    @BeforeEach
    void open() throws Exception {
        Tun.assumeAvailable();
        db = TestSessions.open(dir);
        market = Market.open(db.sessions());
        agent = RunningVpnAgent.start(db, RunningVpnAgent.defaults(market, dir.resolve("data")));
    }

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private Map<String, String> productConfig() {
        return db.sessions().product(market.productId()).config();
    }

    private VpnClient client(String name, String clientKey, String password) throws Exception {
        return VpnClient.start(dir.resolve(name), productConfig(), clientKey, password);
    }

    private SessionInfo onlySession(PlacedOrder order) {
        List<SessionInfo> sessions = db.sessions().sessions(order.order().id());
        assertThat(sessions).hasSize(1);
        return sessions.get(0);
    }

    @Test
    void pushesWhatAClientNeedsAndKeepsItsFilesOwnerOnly() throws Exception {
        Map<String, String> config = productConfig();
        assertThat(config).containsEntry("host", "127.0.0.1").containsEntry("proto", "udp")
                .containsEntry("operator", "kept").containsKeys("port", "cipher");
        assertThat(config.get("ca")).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(config.get("tlsCrypt")).contains("BEGIN OpenVPN Static key V1");
        Path instance = dir.resolve("data/OpenVpn");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(instance))).isEqualTo("rwx------");
        try (var files = Files.list(instance)) {
            files.filter(Files::isRegularFile).forEach(f -> assertThat(uncheckedPermissions(f)).as(f.toString())
                    .isEqualTo("rw-------"));
        }
        assertThat(agent.plugin().status().server()).isEqualTo("up");
    }

    private static String uncheckedPermissions(Path file) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aClientWithItsOrdersPasswordIsMeteredUntilItLeaves() throws Exception {
        PlacedOrder order = market.order();
        try (VpnClient client = client("c1", order.order().clientKey(), order.password()).awaitConnected()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.plugin().status().clients().size() == 1);
            JOpenVpn.Client connected = agent.plugin().status().clients().get(0);
            assertThat(connected.clientKey()).isEqualTo(order.order().clientKey());
            assertThat(connected.vpnAddress()).startsWith("10.231.7.");
            assertThat(connected.realAddress()).startsWith("127.0.0.1:");
            await().atMost(Duration.ofSeconds(10)).until(() -> onlySession(order).bytesUp() > 0
                    && onlySession(order).bytesDown() > 0);
            SessionInfo open = onlySession(order);
            assertThat(open.stopped()).isZero();
            assertThat(open.clientAddress()).isEqualTo(connected.realAddress());
            assertThat(db.sessions().order(order.order().id()).status()).isEqualTo(ServiceStatus.ACTIVE);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> onlySession(order).stopped() > 0);
        SessionInfo stopped = onlySession(order);
        Order billed = db.sessions().order(order.order().id());
        assertThat(billed.bytesUp()).isEqualTo(stopped.bytesUp()).isPositive();
        assertThat(billed.bytesDown()).isEqualTo(stopped.bytesDown()).isPositive();
        assertThat(agent.plugin().status().clients()).isEmpty();
    }

    @Test
    void aWrongPasswordAndAnUnknownKeyAreRefused() throws Exception {
        PlacedOrder order = market.order();
        try (VpnClient wrong = client("wrong", order.order().clientKey(), order.password() + "x")) {
            wrong.awaitRefused();
        }
        try (VpnClient unknown = client("unknown", "no-such-key", "whatever")) {
            unknown.awaitRefused();
        }
        assertThat(db.sessions().sessions(order.order().id())).isEmpty();
        assertThat(agent.plugin().status().clients()).isEmpty();
    }

    @Test
    void aSuspendedOrderIsCutAndRefusedUntilResumed() throws Exception {
        PlacedOrder order = market.order();
        try (VpnClient client = client("c1", order.order().clientKey(), order.password()).awaitConnected()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.plugin().status().clients().size() == 1);
            db.sessions().suspend(order.order().id());
            // cut, it comes back on its own and is refused
            client.awaitRefused();
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.plugin().status().clients().isEmpty());
        }
        await().atMost(Duration.ofSeconds(10)).until(
                () -> db.sessions().order(order.order().id()).status() == ServiceStatus.SUSPENDED);
        assertThat(onlySession(order).stopped()).isPositive();
        db.sessions().resume(order.order().id());
        try (VpnClient again = client("c2", order.order().clientKey(), order.password()).awaitConnected()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.plugin().status().clients().size() == 1);
            assertThat(db.sessions().order(order.order().id()).status()).isEqualTo(ServiceStatus.ACTIVE);
        }
    }

    @Test
    void aTerminatedOrderIsCutAndItsKeyRefused() throws Exception {
        PlacedOrder order = market.order();
        try (VpnClient client = client("c1", order.order().clientKey(), order.password()).awaitConnected()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.plugin().status().clients().size() == 1);
            db.sessions().terminate(order.order().id());
            client.awaitRefused();
        }
        await().atMost(Duration.ofSeconds(10)).until(
                () -> db.sessions().order(order.order().id()).status() == ServiceStatus.TERMINATED);
        try (VpnClient again = client("c2", order.order().clientKey(), order.password())) {
            again.awaitRefused();
        }
        assertThat(db.sessions().sessions(order.order().id())).hasSize(1);
    }
}

package dev.switchboard.adapter.openvpn.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
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
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.internal.TestSessions;

class OpenVpnAgentBadInputTest {

    @TempDir
    Path dir;
    private TestSessions db;
    private Market market;

    @BeforeEach
    void open() throws Exception {
        db = TestSessions.open(dir);
        market = Market.open(db.sessions());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Map<String, Object> config(Map<String, Object> overrides) throws Exception {
        Map<String, Object> config = RunningVpnAgent.defaults(market, dir.resolve("data"));
        config.putAll(overrides);
        return config;
    }

    @Test
    void withoutOpenvpnInstalledActivationFailsSayingSo() throws Exception {
        Map<String, Object> config = config(Map.of("openvpn", dir.resolve("no-such/openvpn").toString()));
        assertThatThrownBy(() -> RunningVpnAgent.start(db, config)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("OpenVPN is not installed: no executable").hasMessageContaining("no-such/openvpn");
        // the port is free again for a configuration that works
        assertThat(Files.exists(dir.resolve("data/OpenVpn/openvpn.conf"))).isFalse();
    }

    @Test
    void attachModeNeedsTheSocketAndTheKeysClientsGet() throws Exception {
        assertThatThrownBy(() -> RunningVpnAgent.start(db, config(Map.of("mode", "attach"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("managementSocket is required in attach mode");
        assertThatThrownBy(() -> RunningVpnAgent.start(db, config(Map.of("mode", "attach", "managementSocket",
                dir.resolve("m.sock").toString())))).hasMessage("caFile is required");
    }

    @Test
    void aSecondInstanceOnTheSameSocketOrPortFailsNamingTheFirst() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.crt"), "ca");
        Path key = Files.writeString(dir.resolve("tc.key"), "key");
        Map<String, Object> attach = Map.of("mode", "attach", "managementSocket", dir.resolve("m.sock").toString(),
                "caFile", ca.toString(), "tlsCryptFile", key.toString());
        try (RunningVpnAgent first = RunningVpnAgent.start(db, config(attach))) {
            assertThat(first.plugin().status().server()).isEqualTo("down");
            Map<String, Object> second = config(attach);
            second.put("callsign", "OpenVpn2");
            assertThatThrownBy(() -> RunningVpnAgent.start(db, second)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the management socket " + dir.resolve("m.sock") + " is already used by OpenVpn");
        }
        Tun.assumeAvailable();
        Map<String, Object> managed = config(Map.of());
        try (RunningVpnAgent first = RunningVpnAgent.start(db, managed)) {
            Map<String, Object> second = new java.util.HashMap<>(managed);
            second.put("callsign", "OpenVpn2");
            assertThatThrownBy(() -> RunningVpnAgent.start(db, second)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the port " + managed.get("port") + "/udp is already used by OpenVpn");
            assertThat(first.plugin().status().server()).isEqualTo("up");
        }
    }

    @Test
    void aKilledOpenvpnIsRestartedAndTheSessionsOfItsClientsStopped() throws Exception {
        Tun.assumeAvailable();
        PlacedOrder order = market.order();
        try (RunningVpnAgent agent = RunningVpnAgent.start(db, config(Map.of()));
                VpnClient client = VpnClient.start(dir.resolve("c1"), db.sessions().product(market.productId()).config(),
                        order.order().clientKey(), order.password()).awaitConnected()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.plugin().status().clients().size() == 1);
            long pid = Long.parseLong(Files.readString(dir.resolve("data/OpenVpn/openvpn.pid")).trim());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            await().atMost(Duration.ofSeconds(20)).until(() -> sessions(order).get(0).stopped() > 0);
            assertThat(agent.plugin().status().server()).isEqualTo("up");
            assertThat(agent.plugin().status().clients()).isEmpty();
            assertThat(Long.parseLong(Files.readString(dir.resolve("data/OpenVpn/openvpn.pid")).trim())).isNotEqualTo(pid);
        }
    }

    @Test
    void anUpdatedAdapterAdoptsTheRunningOpenvpnAndItsTunnelsKeepTheirSessions() throws Exception {
        Tun.assumeAvailable();
        PlacedOrder order = market.order();
        Map<String, Object> config = config(Map.of());
        RunningVpnAgent first = RunningVpnAgent.start(db, config);
        try (VpnClient client = VpnClient.start(dir.resolve("c1"), db.sessions().product(market.productId()).config(),
                order.order().clientKey(), order.password()).awaitConnected()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> sessions(order).size() == 1
                    && sessions(order).get(0).bytesDown() > 0);
            String pid = Files.readString(dir.resolve("data/OpenVpn/openvpn.pid"));
            first.update();
            try (RunningVpnAgent second = RunningVpnAgent.start(db, config)) {
                assertThat(Files.readString(dir.resolve("data/OpenVpn/openvpn.pid"))).isEqualTo(pid);
                await().atMost(Duration.ofSeconds(10)).until(() -> second.plugin().status().clients().size() == 1);
                long before = sessions(order).get(0).bytesDown();
                // keepalive pings every 10 s are reported by the new adapter, to the same session
                await().atMost(Duration.ofSeconds(30)).until(() -> sessions(order).get(0).bytesDown() > before);
                assertThat(sessions(order)).hasSize(1);
                assertThat(sessions(order).get(0).stopped()).isZero();
                assertThat(client.isAlive()).isTrue();
                assertThat(client.log()).doesNotContain("Restart");
            }
        } finally {
            first.close();
        }
    }

    @Test
    void attachModeSaysTheServerIsDownWhileItIsAndAttachesAgainWhenItIsBack() throws Exception {
        Tun.assumeAvailable();
        // an OpenVPN the operator runs: here one a managed instance configured and left running
        Map<String, Object> managed = config(Map.of());
        RunningVpnAgent.start(db, managed).update();
        Path instance = dir.resolve("data/OpenVpn");
        Map<String, Object> attach = config(Map.of("mode", "attach", "callsign", "Attached",
                "managementSocket", instance.resolve("management.sock").toString(),
                "caFile", instance.resolve("ca.crt").toString(), "tlsCryptFile", instance.resolve("tls-crypt.key").toString(),
                "advertisedHost", "127.0.0.1", "port", managed.get("port")));
        Process restarted = null;
        try (RunningVpnAgent attached = RunningVpnAgent.start(db, attach)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> attached.plugin().status().server().equals("up"));
            assertThat(attached.plugin().status().mode()).isEqualTo("attach");
            long pid = Long.parseLong(Files.readString(instance.resolve("openvpn.pid")).trim());
            ProcessHandle.of(pid).orElseThrow().destroy();
            await().atMost(Duration.ofSeconds(10)).until(() -> attached.plugin().status().server().equals("down"));
            // attach mode never starts it: the operator does
            restarted = new ProcessBuilder("openvpn", "--config", instance.resolve("openvpn.conf").toString())
                    .directory(instance.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("operator-openvpn.log").toFile()).start();
            await().atMost(Duration.ofSeconds(20)).until(() -> attached.plugin().status().server().equals("up"));
            PlacedOrder order = market.order();
            try (VpnClient client = VpnClient.start(dir.resolve("c1"), db.sessions().product(market.productId()).config(),
                    order.order().clientKey(), order.password()).awaitConnected()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> attached.plugin().status().clients().size() == 1);
            }
        } finally {
            if (restarted != null) {
                restarted.destroy();
                restarted.waitFor();
            }
        }
    }

    private List<SessionInfo> sessions(PlacedOrder order) {
        return db.sessions().sessions(order.order().id());
    }
}

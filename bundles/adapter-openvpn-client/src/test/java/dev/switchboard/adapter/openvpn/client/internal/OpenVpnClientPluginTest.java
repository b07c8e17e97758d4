package dev.switchboard.adapter.openvpn.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.component.ComponentConstants;

import dev.switchboard.adapter.openvpn.internal.RunningVpnAgent;
import dev.switchboard.adapter.openvpn.testing.Tun;
import dev.switchboard.adapter.socks.testing.Market;
import dev.switchboard.sessions.api.ClientApi;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.internal.TestSessions;

/**
 * The client side against a real agent side, both real openvpn processes on one real Sessions service on H2
 * (as if the order were imported on the client node).
 */
class OpenVpnClientPluginTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private TestSessions db;
    private Market market;
    private RunningVpnAgent agent;
    private PlacedOrder order;

    @BeforeEach
    void open() throws Exception {
        db = TestSessions.open(dir);
        market = Market.open(db.sessions());
        order = market.order();
    }

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
        db.close();
    }

    private Map<String, Object> config() {
        Map<String, Object> config = new HashMap<>();
        config.put("callsign", "OpenVpnClient");
        config.put("clientKey", order.order().clientKey());
        config.put("password", order.password());
        config.put("dataDir", dir.resolve("client").toString());
        config.put("reportSeconds", 1L);
        return config;
    }

    private OpenVpnClientPlugin client(Sessions sessions) {
        return new OpenVpnClientPlugin(sessions, config(), RunningVpnAgent.RUNNING_FRAMEWORK);
    }

    private List<SessionInfo> sessions(String side) {
        return db.sessions().sessions(order.order().id()).stream().filter(s -> s.side().equals(side)).toList();
    }

    @Test
    void connectsWithTheAccessMessageAndReportsTheOrdersUsage() throws Exception {
        Tun.assumeAvailable();
        agent = RunningVpnAgent.start(db, RunningVpnAgent.defaults(market, dir.resolve("agent")));
        OpenVpnClientPlugin client = client(db.sessions());
        try {
            await().atMost(PATIENCE).until(() -> client.status().state().equals("CONNECTED"));
            assertThat(client.status().vpnAddress()).startsWith("10.231.7.");
            assertThat(client.status().agent()).endsWith("/udp").startsWith("127.0.0.1:");
            await().atMost(PATIENCE).until(() -> sessions("client").size() == 1 && sessions("client").get(0).bytesUp() > 0
                    && sessions("client").get(0).bytesDown() > 0);
            assertThat(sessions("agent")).hasSize(1);
            Path instance = dir.resolve("client/OpenVpnClient");
            for (String file : List.of("auth.txt", "openvpn.conf", "openvpn.log")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(instance.resolve(file))))
                        .as(file).isEqualTo("rw-------");
            }
        } finally {
            client.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        }
        await().atMost(PATIENCE).until(() -> sessions("client").get(0).stopped() > 0);
        await().atMost(PATIENCE).until(() -> sessions("agent").get(0).stopped() > 0);
    }

    @Test
    void aClientCutByTheAgentIsRefusedOnReconnectAndSaysWhy() throws Exception {
        Tun.assumeAvailable();
        agent = RunningVpnAgent.start(db, RunningVpnAgent.defaults(market, dir.resolve("agent")));
        OpenVpnClientPlugin client = client(db.sessions());
        try {
            await().atMost(PATIENCE).until(() -> client.status().state().equals("CONNECTED"));
            db.sessions().suspend(order.order().id());
            await().atMost(PATIENCE).until(() -> client.status().state().equals("EXITED"));
            assertThat(client.status().reason()).isNotEmpty();
            assertThat(Files.readString(dir.resolve("client/OpenVpnClient/openvpn.log"))).contains("AUTH_FAILED");
            await().atMost(PATIENCE).until(() -> sessions("client").get(0).stopped() > 0);
        } finally {
            client.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        }
    }

    @Test
    void anUpdatedClientAdapterAdoptsTheTunnel() throws Exception {
        Tun.assumeAvailable();
        agent = RunningVpnAgent.start(db, RunningVpnAgent.defaults(market, dir.resolve("agent")));
        OpenVpnClientPlugin first = client(db.sessions());
        await().atMost(PATIENCE).until(() -> first.status().state().equals("CONNECTED"));
        String pid = Files.readString(dir.resolve("client/OpenVpnClient/openvpn.pid"));
        first.deactivate(ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED);
        OpenVpnClientPlugin second = client(db.sessions());
        try {
            assertThat(Files.readString(dir.resolve("client/OpenVpnClient/openvpn.pid"))).isEqualTo(pid);
            await().atMost(PATIENCE).until(() -> second.status().state().equals("CONNECTED"));
            await().atMost(PATIENCE).until(() -> sessions("client").size() == 1 && sessions("client").get(0).bytesDown() > 0);
            assertThat(sessions("agent")).hasSize(1);
            assertThat(sessions("agent").get(0).stopped()).isZero();
        } finally {
            second.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
        }
    }

    @Test
    void anAccessMessageWithoutWhatAClientNeedsStartsNothingAndNamesTheField() {
        for (String field : List.of("host", "port", "proto", "ca", "tlsCrypt")) {
            Sessions without = withAccess(access -> {
                Map<String, Object> changed = new HashMap<>(access);
                Map<String, Object> params = new HashMap<>();
                params.put("host", "127.0.0.1");
                params.put("port", "1194");
                params.put("proto", "udp");
                params.put("ca", "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n");
                params.put("tlsCrypt", "-----BEGIN OpenVPN Static key V1-----\nx\n-----END OpenVPN Static key V1-----\n");
                params.remove(field);
                changed.put("additionalParams", params);
                return changed;
            });
            assertThatThrownBy(() -> client(without)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the access message has no additionalParams." + field);
        }
        assertThat(dir.resolve("client")).doesNotExist();
    }

    @Test
    void withoutOpenvpnInstalledActivationFailsSayingSo() {
        Sessions complete = withAccess(access -> {
            Map<String, Object> changed = new HashMap<>(access);
            changed.put("additionalParams", Map.of("host", "127.0.0.1", "port", "1194", "proto", "udp",
                    "ca", "-----BEGIN CERTIFICATE-----\n", "tlsCrypt", "-----BEGIN OpenVPN Static key V1-----\n"));
            return changed;
        });
        Map<String, Object> config = config();
        config.put("openvpn", dir.resolve("none/openvpn").toString());
        assertThatThrownBy(() -> new OpenVpnClientPlugin(complete, config, RunningVpnAgent.RUNNING_FRAMEWORK))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("OpenVPN is not installed");
    }

    /** The Sessions service, with the order's access message changed by {@code change}. */
    private Sessions withAccess(UnaryOperator<Map<String, Object>> change) {
        Sessions real = db.sessions();
        return (Sessions) Proxy.newProxyInstance(Sessions.class.getClassLoader(), new Class<?>[] {Sessions.class},
                (proxy, method, args) -> {
                    Object answer;
                    try {
                        answer = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (!method.getName().equals("client")) {
                        return answer;
                    }
                    ClientApi face = (ClientApi) answer;
                    return Proxy.newProxyInstance(ClientApi.class.getClassLoader(), new Class<?>[] {ClientApi.class},
                            (p, m, a) -> {
                                try {
                                    Object result = m.invoke(face, a);
                                    return m.getName().equals("getAccess") ? change.apply(face.getAccess()) : result;
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                });
    }
}

package dev.switchboard.adapter.openvpn.internal;

import java.io.IOException;
import java.net.DatagramSocket;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentConstants;

import dev.switchboard.adapter.socks.testing.Market;
import dev.switchboard.sessions.internal.TestSessions;

/** An agent-side OpenVPN adapter as SCR would run it: configured, bound to the Sessions service and its events. */
public final class RunningVpnAgent implements AutoCloseable {

    /** A framework that is running: a bundle stop is an update, not a shutdown. */
    public static final BundleContext RUNNING_FRAMEWORK = (BundleContext) Proxy.newProxyInstance(
            RunningVpnAgent.class.getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                if (method.getName().equals("getBundle")) {
                    return Proxy.newProxyInstance(RunningVpnAgent.class.getClassLoader(), new Class<?>[] {Bundle.class},
                            (bundle, m, a) -> m.getName().equals("getState") ? Bundle.ACTIVE : null);
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private final TestSessions db;
    private final OpenVpnAgentPlugin plugin;
    private boolean closed;

    private RunningVpnAgent(TestSessions db, OpenVpnAgentPlugin plugin) {
        this.db = db;
        this.plugin = plugin;
        db.listen(plugin);
    }

    /** Managed mode on 127.0.0.1 (a free UDP port), reports every second, its files under {@code dataDir}. */
    public static Map<String, Object> defaults(Market market, Path dataDir) throws IOException {
        Map<String, Object> config = new HashMap<>();
        config.put("callsign", "OpenVpn");
        config.put("product", market.productId());
        config.put("credential", market.credential());
        config.put("listenAddress", "127.0.0.1");
        config.put("port", freeUdpPort());
        config.put("network", "10.231.7.0/24");
        config.put("dataDir", dataDir.toString());
        config.put("reportSeconds", 1L);
        return config;
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static RunningVpnAgent start(TestSessions db, Map<String, Object> config) {
        return new RunningVpnAgent(db, new OpenVpnAgentPlugin(db.sessions(), config, RUNNING_FRAMEWORK));
    }

    public OpenVpnAgentPlugin plugin() {
        return plugin;
    }

    /** Deactivation as on a bundle update: a managed OpenVPN keeps running. */
    public void update() {
        deactivate(ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED);
    }

    private void deactivate(int reason) {
        if (!closed) {
            closed = true;
            db.unlisten(plugin);
            plugin.deactivate(reason);
        }
    }

    /** Deactivation as on a configuration removal: a managed OpenVPN stops. */
    @Override
    public void close() {
        deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);
    }
}

package dev.switchboard.adapter.socks.internal;

import java.util.HashMap;
import java.util.Map;

import dev.switchboard.adapter.socks.testing.Market;
import dev.switchboard.sessions.internal.TestSessions;

/** An agent-side proxy as SCR would run it: configured, bound to the Sessions service and its events. */
public final class RunningAgent implements AutoCloseable {

    private final TestSessions db;
    private final SocksAgentPlugin plugin;
    private final boolean listening;
    private boolean closed;

    private RunningAgent(TestSessions db, SocksAgentPlugin plugin, boolean listening) {
        this.db = db;
        this.plugin = plugin;
        this.listening = listening;
        if (listening) {
            db.listen(plugin);
        }
    }

    /** Listens on 127.0.0.1 (any free port), reports every second, may reach local targets. */
    public static Map<String, Object> defaults(Market market) {
        Map<String, Object> config = new HashMap<>();
        config.put("callsign", "SocksProxy");
        config.put("product", market.productId());
        config.put("credential", market.credential());
        config.put("listenAddress", "127.0.0.1");
        config.put("port", 0);
        config.put("reportSeconds", 1L);
        config.put("allowPrivateTargets", true);
        return config;
    }

    public static RunningAgent start(TestSessions db, Market market, Map<String, Object> overrides) {
        return start(db, market, overrides, true);
    }

    /** Without {@code events} the proxy learns of status changes only from its own reports. */
    public static RunningAgent start(TestSessions db, Market market, Map<String, Object> overrides, boolean events) {
        Map<String, Object> config = defaults(market);
        config.putAll(overrides);
        return new RunningAgent(db, new SocksAgentPlugin(db.sessions(), config), events);
    }

    public SocksAgentPlugin plugin() {
        return plugin;
    }

    /** The port it listens on (advertised as host:port). */
    public int port() {
        String advertised = plugin.status().advertised();
        return Integer.parseInt(advertised.substring(advertised.lastIndexOf(':') + 1));
    }

    /** Deactivation, as SCR does on a configuration removal or a bundle update. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (listening) {
                db.unlisten(plugin);
            }
            plugin.deactivate();
        }
    }
}

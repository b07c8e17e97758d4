package dev.switchboard.adapter.socks.testing;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import dev.switchboard.adapter.socks.internal.RunningAgent;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.internal.TestSessions;

/**
 * The set-up of the tests that run an agent-side proxy against the real Sessions service on H2: per test
 * class one database, one {@link Market} and one set of {@link Targets}; per test the running agent, the
 * test's order and the port its clients connect to, set by the subclass's {@code @BeforeEach} (or by
 * {@link #startAgent}). The agent is closed after each test, after the subclass's {@code @AfterEach}.
 */
public abstract class SocksTestBase {

    protected static TestSessions db;
    protected static Sessions sessions;
    protected static Market market;
    protected static Targets targets;

    protected RunningAgent agent;
    protected PlacedOrder order;
    protected int port;

    @BeforeAll
    protected static void openSessions(@TempDir Path dir) throws Exception {
        db = TestSessions.open(dir);
        sessions = db.sessions();
        market = Market.open(sessions);
        targets = new Targets();
    }

    @AfterAll
    protected static void closeSessions() throws Exception {
        targets.close();
        db.close();
    }

    /**
     * Places an order and starts the agent (its defaults with these overrides) on {@link #port}; the JDK's
     * SOCKS client logs in there with the order's client key and password.
     */
    protected void startAgent(Map<String, Object> overrides) {
        order = market.order();
        agent = RunningAgent.start(db, market, overrides);
        port = agent.port();
        Socks.credentials(port, order.order().clientKey(), order.password());
    }

    @AfterEach
    protected void closeAgent() {
        if (agent != null) {
            agent.close();
        }
    }
}

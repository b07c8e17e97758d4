package dev.switchboard.itests;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An agent node as an operator sets one up: a copy of the distribution run as a process with its own H2
 * database, the billing monitor every second, a SOCKS5 proxy product created over JSON-RPC and its agent
 * adapter configured in {@code etc/} on a fixed loopback port, allowed to reach loopback targets.
 */
final class SocksAgentNode implements AutoCloseable {

    static final String CALLSIGN = "SocksProxy";
    /** Deadline for anything a host does in the background: generous, the machine is shared. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    final Distribution distribution;
    final Distribution.SessionsHost host;
    final SessionsOrder.Product product;
    final int proxyPort;

    private SocksAgentNode(Distribution distribution, Distribution.SessionsHost host, SessionsOrder.Product product,
            int proxyPort) {
        this.distribution = distribution;
        this.host = host;
        this.product = product;
        this.proxyPort = proxyPort;
    }

    static SocksAgentNode start() throws Exception {
        Distribution distribution = Distribution.copy();
        try {
            distribution.writeEtc("dev.switchboard.sessions-Sessions.cfg",
                    "callsign = Sessions\nstartmode = Activated\nbillingPeriodSeconds = 1\n");
            Distribution.SessionsHost host = distribution.startWithSessions(Distribution.freePort());
            int proxyPort = Distribution.freePort();
            SessionsOrder.Product product = SessionsOrder.createProduct(host::call, "socks", "127.0.0.1:" + proxyPort);
            distribution.writeEtc("dev.switchboard.socksagent-" + CALLSIGN + ".cfg", String.join("\n",
                    "callsign = " + CALLSIGN,
                    "product = " + product.id(),
                    "credential = " + product.credential(),
                    "listenAddress = 127.0.0.1",
                    "port = " + proxyPort,
                    "reportSeconds = 1",
                    "allowPrivateTargets = true",
                    ""));
            SocksAgentNode node = new SocksAgentNode(distribution, host, product, proxyPort);
            node.await("the agent proxy listening on 127.0.0.1:" + proxyPort, () -> {
                JsonNode status = host.rpc(CALLSIGN + ".1.status", null).json();
                return ("127.0.0.1:" + proxyPort).equals(status.path("result").path("listening").asText());
            });
            return node;
        } catch (Exception | AssertionError e) {
            distribution.stop();
            throw e;
        }
    }

    /**
     * An order of a new offering priced by the byte, with an unpaid lag larger than the deposit: the
     * deposit running out, not the lag, ends it.
     */
    SessionsOrder order(long deposit) throws Exception {
        String offering = SessionsOrder.createOffering(host::call, product, 1L << 40);
        return SessionsOrder.place(host::call, product, offering, deposit);
    }

    JsonNode order(String id) throws Exception {
        return host.call("order", SessionsOrder.JSON.createObjectNode().put("order", id)).result();
    }

    JsonNode sessions(String order) throws Exception {
        return host.call("sessions", SessionsOrder.JSON.createObjectNode().put("order", order)).result();
    }

    /** Waits until the order has agent-side sessions and all of them stopped: its usage is final. */
    void awaitStopped(String order) throws Exception {
        await("every agent session of order " + order + " stopped", () -> {
            int open = 0;
            int agent = 0;
            for (JsonNode session : sessions(order)) {
                if ("agent".equals(session.get("side").asText())) {
                    agent++;
                    open += session.get("stopped").asLong() == 0 ? 1 : 0;
                }
            }
            return agent > 0 && open == 0;
        });
    }

    /** Fails with {@code what} and the host's log when {@code done} is not true within {@link #PATIENCE}. */
    void await(String what, Callable<Boolean> done) throws Exception {
        await(distribution, what, done);
    }

    /** Fails with {@code what} and the log of {@code host} when {@code done} is not true within {@link #PATIENCE}. */
    static void await(Distribution host, String what, Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.call()) {
            assertTrue("not within " + PATIENCE.toSeconds() + " s: " + what + "\nlog:\n" + tail(host),
                    System.nanoTime() < deadline && host.process().isAlive());
            Thread.sleep(100);
        }
    }

    private static String tail(Distribution host) throws IOException {
        String log = host.log();
        return log.length() > 20_000 ? log.substring(log.length() - 20_000) : log;
    }

    @Override
    public void close() throws InterruptedException {
        distribution.stop();
        if (distribution.process() != null) {
            distribution.process().waitFor(30, TimeUnit.SECONDS);
        }
    }
}

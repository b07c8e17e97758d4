package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An agent node as an operator sets one up: a copy of the distribution run as a process with its own H2
 * database, the billing monitor every second, a SOCKS5 proxy product created over JSON-RPC and its agent
 * adapter configured in {@code etc/} on a fixed loopback port, allowed to reach loopback targets.
 */
final class SocksAgentNode implements AutoCloseable {

    static final String CALLSIGN = "SocksProxy";
    static final String ADAPTER = "dev.switchboard.adapter.socks";
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

    /**
     * What an operator does with a new build of the adapter: copies it over the file in {@code deploy/}
     * (here: the shipped jar with a later Bundle-Version, written beside the distribution and moved in at
     * once, so FileInstall never reads half a file). Answers the new version.
     */
    String dropNewBuild() throws IOException {
        Path deploy = distribution.home().resolve("deploy");
        Path shipped;
        try (Stream<Path> jars = Files.list(deploy)) {
            List<Path> adapters = jars.filter(p -> p.getFileName().toString().startsWith("switchboard-adapter-socks-")
                    && !p.getFileName().toString().contains("client")).toList();
            assertEquals("the adapter is shipped in deploy/: " + adapters, 1, adapters.size());
            shipped = adapters.get(0);
        }
        Path build = Files.createTempFile(distribution.home(), "adapter-socks", ".jar");
        String version;
        try (JarInputStream in = new JarInputStream(Files.newInputStream(shipped))) {
            Manifest manifest = in.getManifest();
            Attributes main = manifest.getMainAttributes();
            assertEquals(ADAPTER, main.getValue("Bundle-SymbolicName"));
            String[] parts = main.getValue("Bundle-Version").split("\\.", 4);
            version = parts[0] + "." + parts[1] + "." + parts[2] + "." + (parts.length > 3 ? parts[3] : "") + "-rebuilt";
            main.putValue("Bundle-Version", version);
            main.putValue("Bnd-LastModified", String.valueOf(System.currentTimeMillis()));
            try (OutputStream file = Files.newOutputStream(build); JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (JarEntry entry; (entry = in.getNextJarEntry()) != null;) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        Files.move(build, shipped, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return version;
    }

    /** Waits until the old build of the adapter stopped and the new one listens on {@link #proxyPort}. */
    void awaitNewBuild() throws Exception {
        await("the old build stopped and the new one listening on " + proxyPort, () -> {
            String log = distribution.log();
            int stopped = log.indexOf("SOCKS5 proxy " + CALLSIGN + " stopped");
            return stopped >= 0 && log.indexOf("listening on 127.0.0.1:" + proxyPort, stopped) >= 0;
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

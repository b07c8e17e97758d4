package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What an answered usage report promises: once {@code updateSession} has answered, the totals are
 * kept even if the host dies right after (SIGKILL, no shutdown hooks), on the default embedded H2
 * database and on PostgreSQL. The distribution runs as a real process.
 */
public class SessionsDurabilityIT {

    private static final ObjectMapper JSON = SessionsOrder.JSON;
    private static final int REPORTS = 200;

    private Distribution distribution;
    private String schema;

    @Before
    public void copyDistribution() throws Exception {
        distribution = Distribution.copy();
    }

    @After
    public void stop() throws Exception {
        distribution.stop();
        if (distribution.process() != null) {
            distribution.process().waitFor(30, TimeUnit.SECONDS);
        }
        if (schema != null) {
            LocalPostgres.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    public void h2KeepsEveryAnsweredReportAcrossKill9() throws Exception {
        keepsEveryAnsweredReportAcrossKill9();
    }

    @Test
    public void postgresqlKeepsEveryAnsweredReportAcrossKill9() throws Exception {
        LocalPostgres.assumeAvailable();
        schema = "sb_durability_" + UUID.randomUUID().toString().replace("-", "");
        LocalPostgres.execute("CREATE SCHEMA " + schema);
        distribution.usePostgres(LocalPostgres.URL, LocalPostgres.USER, schema);
        keepsEveryAnsweredReportAcrossKill9();
        try (Connection c = DriverManager.getConnection(LocalPostgres.URL, LocalPostgres.USER, "");
                Statement s = c.createStatement();
                var r = s.executeQuery("SELECT count(*) FROM " + schema + ".sb_order")) {
            assertTrue(r.next());
            assertEquals("the order lives in the test's own schema", 1, r.getInt(1));
        }
    }

    private void keepsEveryAnsweredReportAcrossKill9() throws Exception {
        Distribution.SessionsHost host = startHost();
        SessionsOrder placed = SessionsOrder.place(host::call);
        String order = placed.order();
        ObjectNode agent = placed.agent();
        assertTrue(host.call("authClient", agent.deepCopy().put("password", placed.password()))
                .result().asBoolean());
        host.call("startSession", agent.deepCopy().put("connection", "c1").put("clientAddress", "192.0.2.7")).result();

        // cumulative totals, well inside the deposit and the unpaid lag, so the order stays active
        ObjectNode last = null;
        for (int i = 1; i <= REPORTS; i++) {
            last = agent.deepCopy().put("connection", "c1").put("bytesUp", 100L * i).put("bytesDown", 200L * i);
            assertEquals("report " + i, "active", host.call("updateSession", last).result().get("status").asText());
        }
        long bytesUp = 100L * REPORTS;
        long bytesDown = 200L * REPORTS;

        kill9(distribution.process());

        Distribution.SessionsHost restarted = startHost();
        JsonNode afterCrash = restarted.call("order", JSON.createObjectNode().put("order", order)).result();
        assertEquals("bytesUp of the last answered report", bytesUp, afterCrash.get("bytesUp").asLong());
        assertEquals("bytesDown of the last answered report", bytesDown, afterCrash.get("bytesDown").asLong());

        // the agent did not see the last answer and sends the report again: it counts once
        restarted.call("updateSession", last).result();
        JsonNode afterRetry = restarted.call("order", JSON.createObjectNode().put("order", order)).result();
        assertEquals("a retried report counts once", bytesUp, afterRetry.get("bytesUp").asLong());
        assertEquals("a retried report counts once", bytesDown, afterRetry.get("bytesDown").asLong());
    }

    /** SIGKILL right away: no shutdown hook, no H2 close, no pool close. */
    private static void kill9(Process process) throws InterruptedException {
        ProcessHandle handle = process.toHandle();
        // bin/switchboard execs java, so the process is the JVM itself
        assertTrue("not the JVM: " + handle.info().command().orElse("?"),
                handle.info().command().orElse("java").endsWith("java"));
        List<ProcessHandle> descendants = handle.descendants().toList();
        process.destroyForcibly(); // SIGKILL on Linux
        assertTrue("still running 30 s after SIGKILL", process.waitFor(30, TimeUnit.SECONDS));
        assertEquals("killed by signal 9", 128 + 9, process.exitValue());
        assertFalse(ProcessHandle.of(handle.pid()).map(ProcessHandle::isAlive).orElse(false));
        for (ProcessHandle child : descendants) {
            assertFalse("child " + child.pid() + " survived", child.isAlive());
        }
    }

    private Distribution.SessionsHost startHost() throws Exception {
        return distribution.startWithSessions(Distribution.freePort());
    }

}

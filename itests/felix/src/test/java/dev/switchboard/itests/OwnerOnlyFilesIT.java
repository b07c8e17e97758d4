package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the distribution writes is its owner's alone, and a host whose {@code data/sessions} is removed while it
 * runs says so once and refuses what it could no longer keep. The distribution runs as a real process, as a user
 * starts it; its {@code data/} and {@code log/} start out as a tarball unpacked with the usual umask leaves them.
 */
public class OwnerOnlyFilesIT {

    private static final String REMOVED = "was removed while the host runs";

    private Distribution distribution;

    @Before
    public void copyDistribution() throws Exception {
        distribution = Distribution.copy();
        for (String folder : new String[] {"data", "log"}) {
            Path path = Files.createDirectories(distribution.home().resolve(folder));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @After
    public void stop() throws Exception {
        distribution.stop();
        if (distribution.process() != null) {
            distribution.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    public void nothingInDataOrLogIsOpenToOtherUsers() throws Exception {
        Distribution.SessionsHost host = distribution.startWithSessions(Distribution.freePort());
        useSessions(host);

        distribution.process().destroy();
        assertTrue("did not stop within 120 s of SIGTERM", distribution.process().waitFor(120, TimeUnit.SECONDS));
        List<String> open = new ArrayList<>();
        int seen = 0;
        for (String folder : new String[] {"data", "log"}) {
            try (Stream<Path> paths = Files.walk(distribution.home().resolve(folder))) {
                for (Path path : (Iterable<Path>) paths.sorted(Comparator.naturalOrder())::iterator) {
                    seen++;
                    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
                    if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                        open.add(distribution.home().relativize(path) + " " + PosixFilePermissions.toString(permissions));
                    }
                }
            }
        }
        Path home = distribution.home();
        assertTrue("the database was written", Files.size(home.resolve("data/sessions/sessions.mv.db")) > 0);
        assertTrue("the keys were written", Files.exists(home.resolve("data/securityagent/keys.json")));
        assertTrue("the log was written", Files.size(home.resolve("log/switchboard.log")) > 0);
        assertTrue("only " + seen + " paths", seen > 10);
        assertTrue(open.size() + " open to group or others, among them " + open.subList(0, Math.min(10, open.size())),
                open.isEmpty());
    }

    @Test
    public void aRemovedDatabaseFolderIsLoggedOnceAndRefusesEveryWrite() throws Exception {
        Distribution.SessionsHost host = distribution.startWithSessions(Distribution.freePort());
        SessionsOrder placed = useSessions(host);

        deleteTree(distribution.home().resolve("data/sessions"));

        ObjectNode report = placed.agent().deepCopy().put("connection", "c1").put("bytesUp", 500).put("bytesDown", 900);
        for (int i = 0; i < 3; i++) {
            JsonRpcClient.Reply reply = host.call("updateSession", report);
            assertEquals("usage report " + i + " after the removal: " + reply.body(), -31043, reply.errorCode());
            assertTrue(reply.body(), reply.body().contains("DATABASE_UNAVAILABLE"));
            reply = host.call("placeOrder", SessionsOrder.JSON.createObjectNode().put("offering", "any")
                    .put("deposit", 10));
            assertEquals("a new order after the removal: " + reply.body(), -31043, reply.errorCode());
        }
        JsonRpcClient.Reply billing = host.call("runBilling", null);
        assertEquals("a billing pass after the removal: " + billing.body(), -31043, billing.errorCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (errorLines().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        List<String> errors = errorLines();
        assertEquals("ERROR lines about the removal: " + errors, 1, errors.size());
        assertTrue(errors.get(0), errors.get(0).contains("sessions.mv.db " + REMOVED));
        assertTrue("the host still serves", host.rpc("Controller.1.status", null).result().size() >= 3);
    }

    /** An order placed, its client authenticated and a usage report recorded: every table written. */
    private static SessionsOrder useSessions(Distribution.SessionsHost host) throws Exception {
        SessionsOrder placed = SessionsOrder.place(host::call);
        assertTrue(host.call("authClient", placed.agent().deepCopy().put("password", placed.password()))
                .result().asBoolean());
        host.call("startSession", placed.agent().deepCopy().put("connection", "c1")).result();
        ObjectNode report = placed.agent().deepCopy().put("connection", "c1").put("bytesUp", 100).put("bytesDown", 200);
        assertEquals("active", host.call("updateSession", report).result().get("status").asText());
        return placed;
    }

    private List<String> errorLines() throws Exception {
        return distribution.log().lines().filter(line -> line.contains(" ERROR ") && line.contains(REMOVED)).toList();
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

package dev.switchboard.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.felix.hc.api.Result;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database health check against a real H2, a closed pool and a database that went away. */
class DatabaseHealthCheckTest {

    @TempDir
    Path dir;

    private final DatabaseHealthCheck check = new DatabaseHealthCheck();

    @AfterEach
    void tearDown() {
        check.deactivate();
    }

    private Result check(Map<String, Database> databases) {
        return new Result(check.evaluate(databases));
    }

    @Test
    void okWithTheProductNameWhenTheDatabaseAnswers() throws Exception {
        try (Database database = Database.open(TestDatabases.h2(dir), "", "", 2, 2000)) {
            Result result = check(Map.of("Sessions", database));
            assertThat(result.getStatus()).isEqualTo(Result.Status.OK);
            assertThat(result.toString()).contains("Sessions: H2 2.");
        }
    }

    @Test
    void criticalWhenThePoolIsClosed() throws Exception {
        Database database = Database.open(TestDatabases.h2(dir), "", "", 2, 2000);
        database.close();
        Result result = check(Map.of("Sessions", database));
        assertThat(result.getStatus()).isEqualTo(Result.Status.CRITICAL);
        assertThat(result.toString()).contains("Sessions: the database cannot be reached");
    }

    @Test
    void criticalWithinItsTimeoutWhenTheServerIsGoneAndOkWhenItIsBack() throws Exception {
        Server server = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        int port = server.getPort();
        // a pool that would wait 10 s for a connection: the check does not wait that long
        try (Database gone = Database.open("jdbc:h2:tcp://127.0.0.1:" + port + "/sessions", "sa", "sa", 2, 10_000);
                Database here = Database.open(TestDatabases.h2(dir.resolve("here")), "", "", 2, 2000)) {
            Map<String, Database> databases = new LinkedHashMap<>();
            databases.put("Here", here);
            databases.put("Gone", gone);
            assertThat(check(databases).getStatus()).isEqualTo(Result.Status.OK);

            server.stop();
            gone.evictAll();
            long start = System.nanoTime();
            Result result = check(databases);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(result.getStatus()).isEqualTo(Result.Status.CRITICAL);
            assertThat(result.toString()).contains("Here: H2", "Gone: the database did not answer within 1500 ms");
            assertThat(tookMs).isLessThan(DatabaseHealthCheck.TIMEOUT.toMillis() + 1000);
            // the probe still waiting for the pool is reused rather than joined by another
            assertThat(check(databases).getStatus()).isEqualTo(Result.Status.CRITICAL);

            server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-baseDir", dir.toString(), "-ifNotExists")
                    .start();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (check(databases).getStatus() != Result.Status.OK && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(check(databases).getStatus()).isEqualTo(Result.Status.OK);
        } finally {
            server.stop();
        }
    }
}

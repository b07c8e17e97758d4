package dev.switchboard.itests;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.AssumptionViolatedException;

/**
 * The local PostgreSQL server (trust authentication, database {@code test}) that the PostgreSQL
 * variants use. Where it does not answer they are skipped, said once, so that the suite runs on a
 * machine without one; where {@code SWITCHBOARD_REQUIRE_POSTGRES} is set (as CI does, after starting
 * the server) they fail instead.
 */
final class LocalPostgres {

    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String USER = "postgres";
    static final String REQUIRED = "SWITCHBOARD_REQUIRE_POSTGRES";
    private static final AtomicBoolean SAID = new AtomicBoolean();

    private LocalPostgres() {
    }

    /** Returns where PostgreSQL answers; else skips the test, or fails it where the server is required. */
    static void assumeAvailable() {
        String why;
        try (Connection c = DriverManager.getConnection(URL, USER, "")) {
            return;
        } catch (SQLException e) {
            why = String.valueOf(e.getMessage());
        }
        String value = System.getenv(REQUIRED);
        if (value != null && !value.isBlank() && !"false".equalsIgnoreCase(value)) {
            throw new AssertionError(REQUIRED + " is set but PostgreSQL does not answer on " + URL + ": " + why);
        }
        String line = "PostgreSQL does not answer on " + URL + " (" + why + "): its variants are skipped; set "
                + REQUIRED + "=true to make that a failure";
        if (SAID.compareAndSet(false, true)) {
            System.err.println(line);
        }
        throw new AssumptionViolatedException(line);
    }

    static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(URL, USER, ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}

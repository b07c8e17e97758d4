package dev.switchboard.sessions.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** Databases for tests: an H2 file in a temporary folder, or a fresh schema on the local PostgreSQL. */
final class TestDatabases {

    static final String PG_SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String PG_USER = "postgres";

    private TestDatabases() {
    }

    static String h2(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("sessions").toAbsolutePath() + Database.H2_OPTIONS;
    }

    /** Creates a schema {@code test_<random>} and answers its name. */
    static String createPgSchema() throws SQLException {
        String schema = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(PG_SERVER, PG_USER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return schema;
    }

    static String pgUrl(String schema) {
        return PG_SERVER + "?currentSchema=" + schema;
    }

    static void dropPgSchema(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_SERVER, PG_USER, "");
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}

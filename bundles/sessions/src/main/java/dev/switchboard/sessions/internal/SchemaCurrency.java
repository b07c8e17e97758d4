package dev.switchboard.sessions.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;

/**
 * Whether a database's schema is already what the bundled changelog makes it, found with one query: after each
 * successful migration run the changelog's SHA-256 is recorded in {@code sb_schema_changelog}, so a start whose
 * changelog is recorded there skips the migration engine (which takes seconds to load and to compare every
 * change set). Any other changelog, or a database without the table, goes through the full migration run.
 */
final class SchemaCurrency {

    private final String sha256;

    private SchemaCurrency(String sha256) {
        this.sha256 = sha256;
    }

    /** The currency of the changelog resource {@code name} of {@code loader}. */
    static SchemaCurrency of(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no changelog " + name + " in the bundle");
            }
            return new SchemaCurrency(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
        } catch (IOException e) {
            throw new UncheckedIOException("changelog " + name + " unreadable", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    String sha256() {
        return sha256;
    }

    /** Whether a migration run with this changelog completed on this database. */
    boolean current(Connection connection) throws SQLException {
        if (!tableExists(connection)) {
            return false;
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM sb_schema_changelog WHERE sha256 = ?")) {
            query.setString(1, sha256);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Records that a migration run with this changelog completed (a second host may have recorded it first). */
    void record(Connection connection, long now) throws SQLException {
        if (current(connection)) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO sb_schema_changelog (sha256, recorded) VALUES (?, ?)")) {
            insert.setString(1, sha256);
            insert.setLong(2, now);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (!current(connection)) {
                throw e;
            }
        }
    }

    /** Asked of the metadata rather than by a failing query, which would abort a PostgreSQL transaction. */
    private static boolean tableExists(Connection connection) throws SQLException {
        String schema = connection.getSchema();
        for (String name : new String[] {"sb_schema_changelog", "SB_SCHEMA_CHANGELOG"}) {
            try (ResultSet tables = connection.getMetaData().getTables(null, schema, name, new String[] {"TABLE"})) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}

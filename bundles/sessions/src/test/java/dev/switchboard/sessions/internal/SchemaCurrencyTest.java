package dev.switchboard.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start finds a schema brought up to date with this changelog current by its recorded SHA-256; a schema
 * migrated by another changelog, or by a version without the record, is migrated again and then recorded.
 * On H2 and on PostgreSQL.
 */
class SchemaCurrencyTest {

    @TempDir
    Path dir;

    private String pgSchema;

    @AfterEach
    void dropPgSchema() throws SQLException {
        if (pgSchema != null) {
            TestDatabases.dropPgSchema(pgSchema);
        }
    }

    private String h2() {
        return TestDatabases.h2(dir);
    }

    private String postgres() throws SQLException {
        pgSchema = TestDatabases.createPgSchema();
        return TestDatabases.pgUrl(pgSchema);
    }

    private static Database open(String url) throws SQLException {
        return Database.open(url, url.startsWith("jdbc:postgresql:") ? TestDatabases.PG_USER : "", "", 2, 2000);
    }

    private static SchemaCurrency bundled() {
        return SchemaCurrency.of(Database.class.getClassLoader(), Database.CHANGELOG);
    }

    @Test
    void aMigratedH2SchemaIsRecordedAndFoundCurrentWhileAnotherChangelogIsNot() throws Exception {
        aMigratedSchemaIsRecordedAndFoundCurrentWhileAnotherChangelogIsNot(h2());
    }

    @Test
    void aMigratedPostgresSchemaIsRecordedAndFoundCurrentWhileAnotherChangelogIsNot() throws Exception {
        aMigratedSchemaIsRecordedAndFoundCurrentWhileAnotherChangelogIsNot(postgres());
    }

    private void aMigratedSchemaIsRecordedAndFoundCurrentWhileAnotherChangelogIsNot(String url) throws Exception {
        try (Database database = open(url); Connection connection = database.connection()) {
            assertThat(recorded(connection)).containsExactly(bundled().sha256());
            assertThat(bundled().current(connection)).isTrue();
            SchemaCurrency other = SchemaCurrency.of(getClass().getClassLoader(), "other-changelog.sql");
            assertThat(other.current(connection)).isFalse();
            other.record(connection, 1);
            other.record(connection, 2);
            assertThat(recorded(connection)).containsExactlyInAnyOrder(bundled().sha256(), other.sha256());
        }
        try (Database again = open(url); Connection connection = again.connection()) {
            assertThat(recorded(connection)).hasSize(2);
            assertThat(changeSets(connection)).isEqualTo(changeSetsInChangelog());
        }
    }

    @Test
    void anH2SchemaOfAVersionWithoutTheRecordIsMigratedAndRecorded() throws Exception {
        aSchemaOfAVersionWithoutTheRecordIsMigratedAndRecorded(h2());
    }

    @Test
    void aPostgresSchemaOfAVersionWithoutTheRecordIsMigratedAndRecorded() throws Exception {
        aSchemaOfAVersionWithoutTheRecordIsMigratedAndRecorded(postgres());
    }

    private void aSchemaOfAVersionWithoutTheRecordIsMigratedAndRecorded(String url) throws Exception {
        try (Database database = open(url); Connection connection = database.connection();
                Statement sql = connection.createStatement()) {
            // as a version whose changelog ended at change set 3 left it
            sql.execute("DROP TABLE sb_schema_changelog");
            sql.execute("DELETE FROM databasechangelog WHERE id = '" + changeSetsInChangelog() + "'");
            assertThat(bundled().current(connection)).isFalse();
        }
        try (Database upgraded = open(url); Connection connection = upgraded.connection()) {
            assertThat(changeSets(connection)).isEqualTo(changeSetsInChangelog());
            assertThat(recorded(connection)).containsExactly(bundled().sha256());
        }
    }

    private static List<String> recorded(Connection connection) throws SQLException {
        List<String> hashes = new ArrayList<>();
        try (Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("SELECT sha256 FROM sb_schema_changelog")) {
            while (rows.next()) {
                hashes.add(rows.getString(1));
            }
        }
        return hashes;
    }

    private static long changeSetsInChangelog() throws Exception {
        try (InputStream in = Database.class.getClassLoader().getResourceAsStream(Database.CHANGELOG)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("--changeset")).count();
        }
    }

    private static long changeSets(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement();
                ResultSet count = sql.executeQuery("SELECT COUNT(*) FROM databasechangelog")) {
            count.next();
            return count.getLong(1);
        }
    }
}

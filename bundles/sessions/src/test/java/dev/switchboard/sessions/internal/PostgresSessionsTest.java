package dev.switchboard.sessions.internal;

import org.junit.jupiter.api.extension.ExtendWith;

/** The Service API on the local PostgreSQL, in a schema of its own that is dropped afterwards. */
@ExtendWith(PostgresAvailable.class)
class PostgresSessionsTest extends SessionsContract {

    private String schema;

    @Override
    protected Database open() throws Exception {
        schema = TestDatabases.createPgSchema();
        return Database.open(TestDatabases.pgUrl(schema), TestDatabases.PG_USER, "", 4, 2000);
    }

    @Override
    protected void dispose() throws Exception {
        TestDatabases.dropPgSchema(schema);
    }
}

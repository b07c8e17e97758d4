package dev.switchboard.sessions.internal;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** The Service API on an embedded H2 file database. */
class H2SessionsTest extends SessionsContract {

    @TempDir
    Path dir;

    @Override
    protected Database open() throws Exception {
        return Database.open(TestDatabases.h2(dir), "", "", 4, 2000);
    }

    @Override
    protected void dispose() {
    }
}

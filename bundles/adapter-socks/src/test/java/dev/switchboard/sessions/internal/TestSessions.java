package dev.switchboard.sessions.internal;

import java.nio.file.Path;
import java.sql.SQLException;

import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsListener;

/**
 * The real Sessions service on an H2 file database, without OSGi, for adapter tests: this class sits in
 * the sessions bundle's internal package to reach its test constructor.
 */
public final class TestSessions implements AutoCloseable {

    private final Database database;
    private final SessionsPlugin plugin;

    private TestSessions(Database database) {
        this.database = database;
        // few password hash iterations: tests check many passwords
        this.plugin = new SessionsPlugin(database, 10_000, System::currentTimeMillis);
    }

    public static TestSessions open(Path dir) throws SQLException {
        return new TestSessions(Database.open("jdbc:h2:file:" + dir.resolve("sessions").toAbsolutePath()
                + Database.H2_OPTIONS, "", "", 4, 5000));
    }

    public Sessions sessions() {
        return plugin.sessions();
    }

    /** Registers a listener as SCR would bind a {@link SessionsListener} service. */
    public void listen(SessionsListener listener) {
        plugin.addListener(listener);
    }

    public void unlisten(SessionsListener listener) {
        plugin.removeListener(listener);
    }

    @Override
    public void close() {
        database.close();
    }
}

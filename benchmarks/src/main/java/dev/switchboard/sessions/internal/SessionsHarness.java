package dev.switchboard.sessions.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.LongSupplier;

import dev.switchboard.sessions.api.Sessions;

/**
 * The Sessions plugin outside OSGi, for benchmarks: its connection pool on a database with the production
 * settings, and plugins over that pool. (In this package because the plugin's classes are not exported.)
 */
public final class SessionsHarness implements AutoCloseable {

    /** The options production H2 URLs carry ({@code WRITE_DELAY=0}: each commit is written before it returns). */
    public static final String H2_OPTIONS = Database.H2_OPTIONS;
    /** PBKDF2 iterations of client passwords in production. */
    public static final int PASSWORD_ITERATIONS = Secrets.ITERATIONS;
    /** The least number of iterations the plugin's configuration allows. */
    public static final int MIN_PASSWORD_ITERATIONS = Integer.parseInt(SessionsSettings.MIN_PASSWORD_ITERATIONS);

    private final Database database;

    private SessionsHarness(Database database) {
        this.database = database;
    }

    /** An H2 file database in the folder {@code dir}, with the options of the plugin's default one. */
    public static String h2Url(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("sessions").toAbsolutePath() + Database.H2_OPTIONS;
    }

    /** The pool size of the plugin's default configuration. */
    public static int defaultPoolSize() {
        return (Integer) defaultOf("poolSize");
    }

    private static long defaultConnectionTimeoutMs() {
        return (Long) defaultOf("connectionTimeoutMs");
    }

    private static Object defaultOf(String attribute) {
        try {
            return SessionsPlugin.Config.class.getMethod(attribute).getDefaultValue();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens the plugin's pool on {@code url}, as the plugin does (default pool size), and migrates the schema. */
    public static SessionsHarness open(String url, String user, String password) throws SQLException {
        return new SessionsHarness(Database.open(url, user, password, defaultPoolSize(), defaultConnectionTimeoutMs()));
    }

    /** A plugin over this pool, hashing new client passwords with {@code passwordIterations}. */
    public Sessions sessions(int passwordIterations) {
        LongSupplier clock = System::currentTimeMillis;
        return new SessionsPlugin(database, passwordIterations, clock).sessions();
    }

    /** A connection from the plugin's own pool (autocommit on, as the pool hands them out). */
    public Connection connection() throws SQLException {
        return database.connection();
    }

    @Override
    public void close() {
        database.close();
    }
}

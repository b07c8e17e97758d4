package dev.switchboard.sessions.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The connection pool and the schema migrations, for H2 and PostgreSQL. */
final class Database implements AutoCloseable {

    static final String CHANGELOG = "dev/switchboard/sessions/internal/db/changelog.sql";
    /**
     * A larger page cache than H2's default: billing passes touch every open order. WRITE_DELAY=0:
     * by default H2 (MVStore) keeps committed changes in memory and writes them to the file in
     * the background up to 500 ms later, so a killed process loses usage reports it has already
     * answered; with 0, each commit writes its changes to the file before it returns.
     * OPTIMIZE_REUSE_RESULTS=FALSE: H2 may answer a repeated query from its last result although
     * another transaction has changed the rows meanwhile (h2database issue 4208), and a report computed
     * from such a stale session would count usage twice or not at all.
     */
    static final String H2_OPTIONS = ";DB_CLOSE_ON_EXIT=FALSE;CACHE_SIZE=131072;WRITE_DELAY=0"
            + ";OPTIMIZE_REUSE_RESULTS=FALSE";
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final boolean postgres;
    private final Object[] stripes = Stream.generate(Object::new).limit(64).toArray();
    private final ReentrantReadWriteLock passes = new ReentrantReadWriteLock();
    private volatile boolean migrated;
    /** The embedded database's file, watched for removal; null for any other database. */
    private volatile DatabaseFile file;

    private Database(HikariDataSource pool, boolean postgres) {
        this.pool = pool;
        this.postgres = postgres;
    }

    /** The default H2 file database, {@code sessions} in the folder {@code dir}. */
    static String defaultUrl(Path dir) {
        return "jdbc:h2:file:" + dir.resolve(DatabaseFile.NAME).toAbsolutePath() + H2_OPTIONS;
    }

    /**
     * Opens the embedded H2 database in {@code dir}: the folder is made owner-only before H2 creates its
     * files, which are made owner-only after, and from then on every use checks that the file is still there.
     */
    static Database openFile(Path dir, String user, String password, int poolSize, long connectionTimeoutMs)
            throws SQLException, IOException {
        DatabaseFile file = DatabaseFile.prepare(dir);
        Database database = open(file.url(), user, password, poolSize, connectionTimeoutMs);
        try {
            file.opened();
        } catch (IOException | RuntimeException e) {
            database.close();
            throw e;
        }
        database.file = file;
        return database;
    }

    /**
     * Opens the pool for {@code url} (H2 or PostgreSQL) and brings the schema up to date.
     *
     * @param connectionTimeoutMs how long a call waits for a connection before it fails
     */
    static Database open(String url, String user, String password, int poolSize, long connectionTimeoutMs)
            throws SQLException {
        boolean postgres = url.startsWith("jdbc:postgresql:");
        HikariConfig config = new HikariConfig();
        config.setPoolName("switchboard-sessions");
        config.setDataSource(dataSource(url, user, password, postgres));
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(Math.max(250, connectionTimeoutMs));
        config.setValidationTimeout(Math.max(250, Math.min(connectionTimeoutMs, 5000)));
        config.setInitializationFailTimeout(-1);
        config.setAutoCommit(true);
        HikariDataSource pool = new HikariDataSource(config);
        Database database = new Database(pool, postgres);
        try {
            database.migrate();
        } catch (SQLException e) {
            if (!unavailable(e)) {
                pool.close();
                throw e;
            }
            // a host that starts before its database serves once the database is there
            LOG.warn("Sessions database not reachable ({}); calls fail until it is, and its schema is brought up"
                    + " to date then", e.getMessage());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return database;
    }

    /** Whether {@code e} says the database cannot be reached (rather than that a statement is wrong). */
    static boolean unavailable(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (x instanceof SQLTransientConnectionException || x instanceof SQLNonTransientConnectionException
                    || x instanceof SQLRecoverableException || (state != null && (state.startsWith("08")
                            || state.equals("90067") || state.equals("90028") || state.equals("57P01")
                            || state.equals("57P03")))) {
                return true;
            }
            if (x.getCause() instanceof SQLException cause && cause != x) {
                return unavailable(cause);
            }
        }
        return false;
    }


    private static DataSource dataSource(String url, String user, String password, boolean postgres) {
        if (postgres) {
            org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
            ds.setURL(url);
            if (user != null && !user.isEmpty()) {
                ds.setUser(user);
            }
            if (password != null && !password.isEmpty()) {
                ds.setPassword(password);
            }
            return ds;
        }
        if (url.startsWith("jdbc:h2:")) {
            org.h2.jdbcx.JdbcDataSource ds = new org.h2.jdbcx.JdbcDataSource();
            ds.setURL(url);
            ds.setUser(user == null ? "" : user);
            ds.setPassword(password == null ? "" : password);
            return ds;
        }
        throw new IllegalArgumentException("only jdbc:h2: and jdbc:postgresql: URLs are supported: " + url);
    }

    private synchronized void migrate() throws SQLException {
        if (migrated) {
            return;
        }
        SchemaCurrency currency = SchemaCurrency.of(Database.class.getClassLoader(), CHANGELOG);
        try {
            if (!current(currency)) {
                try (Connection connection = pool.getConnection()) {
                    LiquibaseMigration.update(connection, CHANGELOG); // closes the connection
                }
                try (Connection connection = pool.getConnection()) {
                    currency.record(connection, System.currentTimeMillis());
                }
            }
            LOG.info("Sessions database schema is up to date ({})", postgres ? "PostgreSQL" : "H2");
        } catch (SQLException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("schema migration failed: " + e.getMessage(), e);
        }
        migrated = true;
    }

    private boolean current(SchemaCurrency currency) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return currency.current(connection);
        }
    }

    Connection connection() throws SQLException {
        checkFile();
        if (!migrated) {
            migrate();
        }
        return pool.getConnection();
    }

    /** A connection of its own, outside the pool: for a listener that holds it for good. */
    Connection unpooledConnection() throws SQLException {
        return pool.getDataSource().getConnection();
    }

    boolean postgres() {
        return postgres;
    }

    /**
     * Throws {@link DatabaseFile.Removed} when the embedded database's file was removed while the host runs:
     * called before a call uses the database and before it acknowledges what it wrote.
     */
    void checkFile() throws SQLException {
        DatabaseFile watched = file;
        if (watched != null) {
            watched.check();
        }
    }

    /** Whether the embedded database's file was found removed (every call is refused then). */
    boolean fileRemoved() {
        DatabaseFile watched = file;
        return watched != null && watched.removed();
    }

    /**
     * Runs {@code work} alone among the works of this database for the same {@code key}, and never during an
     * {@link #exclusive} work, when the database is H2. When an H2 transaction (2.3.232 to 2.5.252) that locked
     * or changed a row rolls back, the row can return to a version older than a change another transaction
     * committed to it meanwhile: a refused call that had locked an order could undo usage reported at the
     * same moment. So on H2 no two works that may change one order overlap; callers
     * key them by the order's client key. PostgreSQL's row locks suffice, so there it just runs.
     */
    <T> T serialized(String key, Supplier<T> work) {
        if (postgres) {
            return work.get();
        }
        passes.readLock().lock();
        try {
            synchronized (stripes[Math.floorMod(Objects.hashCode(key), stripes.length)]) {
                return work.get();
            }
        } finally {
            passes.readLock().unlock();
        }
    }

    /** Runs {@code work}, which may change any order, while no {@link #serialized} work runs (on H2). */
    <T> T exclusive(Supplier<T> work) {
        if (postgres) {
            return work.get();
        }
        passes.writeLock().lock();
        try {
            return work.get();
        } finally {
            passes.writeLock().unlock();
        }
    }

    /** Closes every connection; the next call opens new ones (used to simulate an outage in tests). */
    void evictAll() {
        pool.getHikariPoolMXBean().softEvictConnections();
    }

    @Override
    public void close() {
        pool.close();
    }
}

package dev.switchboard.sessions.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;
import dev.switchboard.sessions.internal.store.OrderRows;

/**
 * The use cases' transactions: each runs its work in one, announces what the work queued once it is
 * committed, and turns a database failure into a {@link SessionsException} saying whether to retry.
 */
final class Transactions {

    /** A use case's work in a transaction; what it adds to {@code after} runs once that is committed. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c, List<Runnable> after) throws SQLException;
    }

    /** SQLState of a unique key that another row has (H2 and PostgreSQL alike). */
    private static final String KEY_TAKEN = "23505";
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

    private final Database db;
    private final OrderRows orders;

    Transactions(Database db, OrderRows orders) {
        this.db = db;
        this.orders = orders;
    }

    /** Runs {@code work} in one transaction; the events it queued go out after the commit. */
    <T> T tx(Work<T> work) {
        return tx(work, false);
    }

    /**
     * {@link #tx} for a work that inserts a row only when its key is not there yet: should another call insert
     * the same key in between, the work runs once more, finds that row and answers as a repeated call does.
     */
    <T> T txInsertingOnce(Work<T> work) {
        return tx(work, true);
    }

    private <T> T tx(Work<T> work, boolean againIfKeyTaken) {
        List<Runnable> after = new ArrayList<>();
        T result;
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                result = work.run(c, after);
                c.commit();
                // what went into a removed file is not acknowledged
                db.checkFile();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken; the pool drops it
                }
                throw e;
            }
        } catch (SQLException e) {
            if (againIfKeyTaken && KEY_TAKEN.equals(e.getSQLState())) {
                LOG.debug("Another call inserted the same key first ({}); running again", LogText.quote(e.getMessage()));
                return tx(work, false);
            }
            throw failure(e);
        }
        after.forEach(Runnable::run);
        return result;
    }

    /**
     * {@link #tx} on the order of {@code clientKey}: on H2 never at the same time as another work that may
     * change that order, nor as a billing pass (see {@link Database#serialized}).
     */
    <T> T onOrder(String clientKey, Work<T> work) {
        return db.serialized(clientKey, () -> tx(work));
    }

    /** {@link #onOrder} for the order {@code orderId}. */
    <T> T onOrderId(String orderId, Work<T> work) {
        if (db.postgres()) {
            return tx(work);
        }
        String clientKey = tx((c, after) -> orders.byId(c, orderId, false).order().clientKey());
        return onOrder(clientKey, work);
    }

    /** {@link #txInsertingOnce} on the order of {@code clientKey}, as {@link #onOrder}. */
    <T> T insertingOnceOnOrder(String clientKey, Work<T> work) {
        return db.serialized(clientKey, () -> txInsertingOnce(work));
    }

    /** {@code work} on the order of {@code clientKey}, as {@link #onOrder}, whatever transactions it runs. */
    <T> T serialized(String clientKey, Supplier<T> work) {
        return db.serialized(clientKey, work);
    }

    /** Runs {@code work} on a connection in autocommit: each of its statements commits on its own. */
    <T> T autocommitted(Work<T> work) {
        try (Connection c = db.connection()) {
            return work.run(c, new ArrayList<>());
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** {@code work}, which may change any order, while no {@link #onOrder} work runs (on H2). */
    <T> T exclusive(Work<T> work) {
        return db.exclusive(() -> tx(work));
    }

    static SessionsException failure(SQLException e) {
        if (e instanceof DatabaseFile.Removed) {
            // said once, by the check that found it
            return new SessionsException(Reason.DATABASE_UNAVAILABLE,
                    "the database's files were removed while the host runs; Sessions must be restarted");
        }
        if (Database.unavailable(e)) {
            LOG.warn("Sessions database unavailable: {}", LogText.quote(e));
            return new SessionsException(Reason.DATABASE_UNAVAILABLE, "the database is not reachable; retry later");
        }
        LOG.error("Sessions database error", e);
        return new SessionsException(Reason.DATABASE_ERROR, "database error");
    }
}

package dev.switchboard.sessions.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.UsageReport;

/**
 * Usage reports on agent sessions whose last recorded totals this host remembers, without reading them
 * first: the order's usage grows by the difference to those totals (taking the order's row lock first, as
 * the full path does), and the session moves from exactly those totals to the new ones. On PostgreSQL both
 * are one autocommitted statement, so a report costs one round trip and one commit; on H2, which runs in
 * process, they are two statements of the caller's transaction.
 * <p>
 * When anything else moved the session meanwhile (a retried report, a stop, another host), or the order is
 * not the product's, or a total would overflow, nothing is changed and the caller takes the full path,
 * which decides and explains. What is remembered is only a hint: the database checks it on every use.
 */
final class QuickReports {

    /** Remembered sessions beyond this are dropped all at once: they are only hints. */
    private static final int MAX_REMEMBERED = 200_000;

    /** One open agent session as this host last recorded it. */
    record Known(String orderId, String sessionId, long started, long lastReport, long up, long down) {

        long seconds() {
            return Math.max(0, (lastReport - started) / 1000);
        }
    }

    private record Key(String product, String clientKey, String connection) {
    }

    private static final String GROW_ORDER = "UPDATE sb_order SET bytes_up = bytes_up + ?, bytes_down = bytes_down + ?,"
            + " seconds = seconds + ?, last_usage = CASE WHEN ? > 0 THEN ? ELSE last_usage END"
            + " WHERE id = ? AND product_id = ? AND bytes_up <= ? AND bytes_down <= ? AND seconds <= ?"
            + " AND bytes_up + bytes_down <= ?";
    private static final String MOVE_SESSION = "UPDATE sb_session SET bytes_up = ?, bytes_down = ?, last_report = ?"
            + " WHERE id = ? AND bytes_up = ? AND bytes_down = ? AND last_report = ? AND stopped = 0";

    private static final String RETURNED = "status, CASE WHEN " + Billing.DUE + " THEN 1 ELSE 0 END AS due";
    private static final String GROW_ORDER_H2 = Billing.returning(false, "sb_order", GROW_ORDER, RETURNED);
    /**
     * Both updates in one statement. The session's update runs once the order's row is locked (it reads the
     * order's result); should it then find the session moved, the division by zero fails the statement, so
     * the order's usage cannot grow without its session's.
     */
    private static final String REPORT_POSTGRES = "WITH grown AS ("
            + Billing.returning(true, "sb_order", GROW_ORDER, RETURNED)
            + "), moved AS (" + MOVE_SESSION + " AND EXISTS (SELECT 1 FROM grown) RETURNING 1)"
            + " SELECT status, due, 1 / (SELECT COUNT(*) FROM moved) FROM grown";
    private static final String DIVISION_BY_ZERO = "22012";

    private final ConcurrentMap<Key, Known> known = new ConcurrentHashMap<>();
    private final Billing billing;

    QuickReports(Billing billing) {
        this.billing = billing;
    }

    Known known(String product, String clientKey, String connection) {
        return known.get(new Key(product, clientKey, connection));
    }

    void remember(String product, String clientKey, String connection, Known session) {
        if (known.size() >= MAX_REMEMBERED) {
            known.clear();
        }
        known.put(new Key(product, clientKey, connection), session);
    }

    void forget(String product, String clientKey, String connection) {
        known.remove(new Key(product, clientKey, connection));
    }

    /** The outcome of a quick report: the order's status, whether a billing rule is due, the session after. */
    record Outcome(ServiceStatus status, boolean due, Known session) {
    }

    /**
     * Records {@code totals} on {@code session} of an order of {@code product}: in the caller's transaction
     * on H2, on its own on PostgreSQL ({@code c} in autocommit). Answers null, with nothing changed that the
     * caller may keep, when the full path must decide.
     */
    Outcome report(Connection c, boolean postgres, String product, Known session, UsageReport totals, long now)
            throws SQLException {
        long up = totals.bytesUp();
        long down = totals.bytesDown();
        long dUp = up - session.up();
        long dDown = down - session.down();
        long dBytes = dUp + dDown;
        if (dUp < 0 || dDown < 0 || dBytes < 0) {
            return null;
        }
        long dSeconds = Math.max(0, (now - session.started()) / 1000 - session.seconds());
        try (PreparedStatement s = c.prepareStatement(postgres ? REPORT_POSTGRES : GROW_ORDER_H2)) {
            // the returned columns, with the billing clock, come after the update on PostgreSQL and before it on H2
            int i = postgres ? 1 : 1 + Billing.DUE_PARAMETERS;
            s.setLong(i++, dUp);
            s.setLong(i++, dDown);
            s.setLong(i++, dSeconds);
            s.setLong(i++, dBytes);
            s.setLong(i++, now);
            s.setString(i++, session.orderId());
            s.setString(i++, product);
            s.setLong(i++, Long.MAX_VALUE - dUp);
            s.setLong(i++, Long.MAX_VALUE - dDown);
            s.setLong(i++, Long.MAX_VALUE - dSeconds);
            s.setLong(i++, Long.MAX_VALUE - dBytes);
            billing.bindDue(s, postgres ? i : 1);
            if (postgres) {
                moveSession(s, i + Billing.DUE_PARAMETERS, session, up, down, now);
            }
            ServiceStatus status;
            boolean due;
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                status = ServiceStatus.of(r.getString(1));
                due = r.getInt(2) == 1;
            } catch (SQLException e) {
                if (postgres && DIVISION_BY_ZERO.equals(e.getSQLState())) {
                    return null;
                }
                throw e;
            }
            if (!postgres) {
                try (PreparedStatement move = c.prepareStatement(MOVE_SESSION)) {
                    moveSession(move, 1, session, up, down, now);
                    if (move.executeUpdate() != 1) {
                        return null;
                    }
                }
            }
            return new Outcome(status, due,
                    new Known(session.orderId(), session.sessionId(), session.started(), now, up, down));
        }
    }

    private static void moveSession(PreparedStatement s, int first, Known session, long up, long down, long now)
            throws SQLException {
        int i = first;
        s.setLong(i++, up);
        s.setLong(i++, down);
        s.setLong(i++, now);
        s.setString(i++, session.sessionId());
        s.setLong(i++, session.up());
        s.setLong(i++, session.down());
        s.setLong(i, session.lastReport());
    }
}

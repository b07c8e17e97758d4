package dev.switchboard.sessions.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.sessions.api.ConnectionChange;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;
import dev.switchboard.sessions.api.UsageReport;

/**
 * Every write of usage: the sessions of an order (opened, reported on, closed) and the usage they add
 * to it. Reports carry cumulative totals; the order grows by the difference to what its session
 * recorded, always by {@link #GROW_ORDER}, added and never set, so that no total is computed from a row
 * read earlier.
 * <p>
 * The full path ({@link #record}) reads the session in the caller's transaction, which holds the order's
 * row lock. The quick path ({@link #report}) takes a session whose last totals this host remembers and
 * writes without reading it first: the order's usage grows by the difference to those totals (taking the
 * order's row lock first, as the full path does), and the session moves from exactly those totals to the
 * new ones. On PostgreSQL both are one autocommitted statement, so a report costs one round trip and one
 * commit; on H2, which runs in process, they are two statements of the caller's transaction. When anything
 * else moved the session meanwhile (a retried report, a stop, another host), or the order is not the
 * product's, or a total would overflow, the quick path changes nothing and the full path decides and
 * explains. What is remembered is only a hint: the database checks it on every use.
 */
public final class UsageLedger {

    public static final String AGENT = "agent";
    public static final String CLIENT = "client";
    private static final Logger LOG = LoggerFactory.getLogger(UsageLedger.class);
    /** Remembered sessions beyond this are dropped all at once: they are only hints. */
    private static final int MAX_REMEMBERED = 200_000;
    private static final String SESSION_COLUMNS = "id, order_id, side, conn_id, client_address, started, stopped,"
            + " last_report, bytes_up, bytes_down";

    /** The order's usage grows by bytes up, bytes down and seconds; a report that moved bytes is its last usage. */
    private static final String GROW_ORDER = "UPDATE sb_order SET bytes_up = bytes_up + ?, bytes_down = bytes_down + ?,"
            + " seconds = seconds + ?, last_usage = CASE WHEN ? > 0 THEN ? ELSE last_usage END WHERE id = ?";
    /** {@link #GROW_ORDER} on the quick path: only on an order of the product, and only without overflow. */
    private static final String GROW_ORDER_CHECKED = GROW_ORDER + " AND product_id = ? AND bytes_up <= ?"
            + " AND bytes_down <= ? AND seconds <= ? AND bytes_up + bytes_down <= ?";
    private static final String MOVE_SESSION = "UPDATE sb_session SET bytes_up = ?, bytes_down = ?, last_report = ?"
            + " WHERE id = ? AND bytes_up = ? AND bytes_down = ? AND last_report = ? AND stopped = 0";
    private static final String RETURNED = "status, CASE WHEN " + Billing.DUE + " THEN 1 ELSE 0 END AS due";
    /**
     * On PostgreSQL both updates of a quick report are one statement. The session's update runs once the
     * order's row is locked (it reads the order's result); should it then find the session moved, the
     * division by zero fails the statement, so the order's usage cannot grow without its session's.
     */
    private static final String REPORT_IN_ONE = "WITH grown AS ("
            + Dialect.POSTGRESQL.returning("sb_order", GROW_ORDER_CHECKED, RETURNED)
            + "), moved AS (" + MOVE_SESSION + " AND EXISTS (SELECT 1 FROM grown) RETURNING 1)"
            + " SELECT status, due, 1 / (SELECT COUNT(*) FROM moved) FROM grown";
    private static final String DIVISION_BY_ZERO = "22012";

    /** One open agent session as this host last recorded it. */
    public record Known(String orderId, String sessionId, long started, long lastReport, long up, long down) {

        long seconds() {
            return Math.max(0, (lastReport - started) / 1000);
        }
    }

    /** The outcome of a quick report: the order's status, whether a billing rule is due, the session after. */
    public record Outcome(ServiceStatus status, boolean due, Known session) {
    }

    private record Key(String product, String clientKey, String connection) {
    }

    private final Dialect dialect;
    private final Billing billing;
    private final OrderRows orders;
    private final LongSupplier clock;
    private final Changes changes;
    private final ConcurrentMap<Key, Known> known = new ConcurrentHashMap<>();

    public UsageLedger(Dialect dialect, Billing billing, OrderRows orders, LongSupplier clock, Changes changes) {
        this.dialect = dialect;
        this.billing = billing;
        this.orders = orders;
        this.clock = clock;
        this.changes = changes;
    }

    // ---------------------------------------------------------------- sessions

    public SessionInfo open(Connection c, List<Runnable> after, Order order, String side, String conn,
            String address) throws SQLException {
        long now = clock.getAsLong();
        String id = UUID.randomUUID().toString();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sb_session (id, order_id, side, conn_id,"
                + " client_address, started, stopped, last_report, bytes_up, bytes_down)"
                + " VALUES (?, ?, ?, ?, ?, ?, 0, ?, 0, 0)")) {
            s.setString(1, id);
            s.setString(2, order.id());
            s.setString(3, side);
            s.setString(4, conn);
            s.setString(5, address);
            s.setLong(6, now);
            s.setLong(7, now);
            s.executeUpdate();
        }
        if (AGENT.equals(side)) {
            after.add(() -> changes.connection(new ConnectionChange(order.id(), order.product(), id, conn, "start")));
        }
        return new SessionInfo(id, order.id(), side, conn, address, now, 0, 0, 0, 0);
    }

    /** Closes an open session, adding its last seconds to its order. */
    public void close(Connection c, List<Runnable> after, SessionInfo open, String why) throws SQLException {
        long now = clock.getAsLong();
        long newSeconds = Math.max(0, (now - open.started()) / 1000);
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE sb_session SET stopped = ?, last_report = ? WHERE id = ? AND stopped = 0")) {
            s.setLong(1, now);
            s.setLong(2, now);
            s.setString(3, open.id());
            s.executeUpdate();
        }
        if (AGENT.equals(open.side())) {
            grow(c, open.order(), 0, 0, Math.max(0, newSeconds - open.seconds()), now);
            String product = orders.byId(c, open.order(), false).order().product();
            after.add(() -> changes.connection(new ConnectionChange(open.order(), product, open.id(),
                    open.connection(), "stop")));
        }
        LOG.debug("Session {} closed ({})", open.id(), why);
    }

    /** The sessions of an order, oldest first. */
    public List<SessionInfo> sessions(Connection c, String orderId) throws SQLException {
        return query(c, "SELECT " + SESSION_COLUMNS + " FROM sb_session WHERE order_id = ? ORDER BY started, id",
                orderId);
    }

    /** The open agent sessions of connection {@code conn} on orders of {@code product}. */
    public List<SessionInfo> openAgentSessions(Connection c, String product, String conn) throws SQLException {
        return query(c, "SELECT s.id, s.order_id, s.side, s.conn_id, s.client_address, s.started, s.stopped,"
                + " s.last_report, s.bytes_up, s.bytes_down FROM sb_session s JOIN sb_order o ON o.id = s.order_id"
                + " WHERE s.conn_id = ? AND s.stopped = 0 AND s.side = 'agent' AND o.product_id = ?", conn, product);
    }

    /** The open client session of connection {@code conn} on the order, or null. */
    public SessionInfo openClientSession(Connection c, String orderId, String conn) throws SQLException {
        List<SessionInfo> open = query(c, "SELECT " + SESSION_COLUMNS + " FROM sb_session"
                + " WHERE order_id = ? AND side = 'client' AND conn_id = ? AND stopped = 0", orderId, conn);
        return open.isEmpty() ? null : open.get(0);
    }

    public int openSessions(Connection c, String orderId, String side) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM sb_session WHERE order_id = ? AND side = ? AND stopped = 0")) {
            s.setString(1, orderId);
            s.setString(2, side);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    private static List<SessionInfo> query(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            List<SessionInfo> result = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    result.add(session(r));
                }
            }
            return result;
        }
    }

    private static SessionInfo session(ResultSet r) throws SQLException {
        long started = r.getLong(6);
        long stopped = r.getLong(7);
        long end = stopped != 0 ? stopped : r.getLong(8);
        return new SessionInfo(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                started, stopped, r.getLong(9), r.getLong(10), Math.max(0, (end - started) / 1000));
    }

    /**
     * Closes the agent sessions that had no report since {@code before}, as of their last report (whose seconds
     * their order already has): their adapter is gone without stopping them. Answers them as stop events.
     */
    public List<ConnectionChange> closeStale(Connection c, long before) throws SQLException {
        String sql = dialect.returning("sb_session", "UPDATE sb_session SET stopped = last_report"
                + " WHERE stopped = 0 AND side = 'agent' AND last_report < ?",
                "id, order_id, conn_id, (SELECT o.product_id FROM sb_order o WHERE o.id = sb_session.order_id)");
        List<ConnectionChange> closed = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, before);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    closed.add(new ConnectionChange(r.getString(2), r.getString(4), r.getString(1), r.getString(3),
                            "stop"));
                }
            }
        }
        return closed;
    }

    // ---------------------------------------------------------------- the full path

    /**
     * Persists cumulative totals of the latest session of {@code conn} (and closes it when
     * {@code stop}): a repeated report adds nothing, a lower total fails and changes nothing. Answers the
     * session as recorded while it stays open, else null.
     */
    public Known record(Connection c, Order order, String side, String conn, UsageReport totals,
            boolean stop, List<Runnable> after) throws SQLException {
        SessionInfo session;
        try (PreparedStatement s = c.prepareStatement("SELECT " + SESSION_COLUMNS + " FROM sb_session"
                + " WHERE order_id = ? AND side = ? AND conn_id = ? ORDER BY started DESC, stopped ASC")) {
            s.setString(1, order.id());
            s.setString(2, side);
            s.setString(3, conn);
            s.setMaxRows(1);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SessionsException(Reason.UNKNOWN_SESSION, "no session for this connection");
                }
                session = session(r);
            }
        }
        long up = totals == null ? session.bytesUp() : totals.bytesUp();
        long down = totals == null ? session.bytesDown() : totals.bytesDown();
        if (up < session.bytesUp() || down < session.bytesDown()) {
            throw new SessionsException(Reason.USAGE_DECREASED, "totals are lower than recorded (" + session.bytesUp()
                    + " up, " + session.bytesDown() + " down); report cumulative totals");
        }
        long dUp = up - session.bytesUp();
        long dDown = down - session.bytesDown();
        long now = clock.getAsLong();
        boolean open = session.stopped() == 0;
        long reportTime = open ? now : session.stopped();
        long dSeconds = Math.max(0, (reportTime - session.started()) / 1000 - session.seconds());
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE sb_session SET bytes_up = ?, bytes_down = ?, last_report = ? WHERE id = ?")) {
            s.setLong(1, up);
            s.setLong(2, down);
            s.setLong(3, reportTime);
            s.setString(4, session.id());
            s.executeUpdate();
        }
        if (AGENT.equals(side)) {
            try {
                Math.addExact(Math.addExact(order.bytesUp(), dUp), Math.addExact(order.bytesDown(), dDown));
                Math.addExact(order.seconds(), dSeconds);
            } catch (ArithmeticException e) {
                throw new SessionsException(Reason.INVALID_PARAMETERS, "usage totals overflow");
            }
            grow(c, order.id(), dUp, dDown, dSeconds, now);
        }
        if (stop && open) {
            close(c, after, new SessionInfo(session.id(), session.order(), session.side(), session.connection(),
                    session.clientAddress(), session.started(), 0, up, down, session.seconds() + dSeconds), "stopped");
        }
        return open && !stop ? new Known(order.id(), session.id(), session.started(), reportTime, up, down) : null;
    }

    private static void grow(Connection c, String orderId, long dUp, long dDown, long dSeconds, long now)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(GROW_ORDER)) {
            bindGrowth(s, 1, orderId, dUp, dDown, dSeconds, now);
            s.executeUpdate();
        }
    }

    /** Sets the parameters of {@link #GROW_ORDER} from index {@code first}; answers the next index. */
    private static int bindGrowth(PreparedStatement s, int first, String orderId, long dUp, long dDown, long dSeconds,
            long now) throws SQLException {
        int i = first;
        s.setLong(i++, dUp);
        s.setLong(i++, dDown);
        s.setLong(i++, dSeconds);
        s.setLong(i++, dUp + dDown);
        s.setLong(i++, now);
        s.setString(i++, orderId);
        return i;
    }

    // ---------------------------------------------------------------- the quick path

    public Known known(String product, String clientKey, String connection) {
        return known.get(new Key(product, clientKey, connection));
    }

    public void remember(String product, String clientKey, String connection, Known session) {
        if (known.size() >= MAX_REMEMBERED) {
            known.clear();
        }
        known.put(new Key(product, clientKey, connection), session);
    }

    public void forget(String product, String clientKey, String connection) {
        known.remove(new Key(product, clientKey, connection));
    }

    /**
     * Records {@code totals} on {@code session} of an order of {@code product}: in the caller's transaction
     * on H2, on its own on PostgreSQL ({@code c} in autocommit). Answers null, with nothing changed that the
     * caller may keep, when the full path must decide.
     */
    public Outcome report(Connection c, String product, Known session, UsageReport totals, long now)
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
        boolean inOne = dialect.reportsInOneStatement();
        try (PreparedStatement s = c.prepareStatement(inOne ? REPORT_IN_ONE
                : dialect.returning("sb_order", GROW_ORDER_CHECKED, RETURNED))) {
            // the returned columns, with the billing clock, come after the update on PostgreSQL and before it on H2
            int i = bindGrowth(s, inOne ? 1 : 1 + Billing.DUE_PARAMETERS, session.orderId(), dUp, dDown, dSeconds,
                    now);
            s.setString(i++, product);
            s.setLong(i++, Long.MAX_VALUE - dUp);
            s.setLong(i++, Long.MAX_VALUE - dDown);
            s.setLong(i++, Long.MAX_VALUE - dSeconds);
            s.setLong(i++, Long.MAX_VALUE - dBytes);
            billing.bindDue(s, inOne ? i : 1);
            if (inOne) {
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
                if (inOne && DIVISION_BY_ZERO.equals(e.getSQLState())) {
                    return null;
                }
                throw e;
            }
            if (!inOne) {
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

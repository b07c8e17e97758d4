package dev.switchboard.sessions.internal.store;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.switchboard.sessions.api.Offering;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;
import dev.switchboard.sessions.api.StatusChange;
import dev.switchboard.sessions.api.UnitType;

/**
 * The order rows: orders placed here and imported from an agent, their payments and their status
 * transitions, read as {@link Order}. Their usage is the {@link UsageLedger}'s.
 */
public final class OrderRows {

    private static final String COLUMNS = "id, offering_id, product_id, client_key, status, status_changed,"
            + " deposit, payments, bytes_up, bytes_down, seconds, last_usage, created, unit_type, unit_size,"
            + " unit_price, setup_price, password_hash";

    /** An order row with what the use cases need beyond {@link Order}. */
    public record Row(Order order, String passwordHash) {
    }

    /**
     * The one statement that changes an order's status, for one order (the API's transitions) and for
     * every order a billing rule matches: the status before is kept, with when and why it changed.
     */
    static String statusUpdate(String extraSet, String where) {
        return "UPDATE sb_order SET prev_status = status, status = ?, status_changed = ?, status_reason = ?"
                + extraSet + " WHERE " + where;
    }

    public Row byId(Connection c, String id, boolean lock) throws SQLException {
        return by(c, "id", id, lock, Reason.UNKNOWN_ORDER);
    }

    public Row byClientKey(Connection c, String clientKey, boolean lock) throws SQLException {
        return by(c, "client_key", clientKey, lock, Reason.UNKNOWN_CLIENT);
    }

    private static Row by(Connection c, String column, String value, boolean lock, Reason missing)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM sb_order WHERE " + column
                + " = ?" + (lock ? " FOR UPDATE" : ""))) {
            s.setString(1, value);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SessionsException(missing, missing == Reason.UNKNOWN_CLIENT ? "no such client key"
                            : "no order " + value);
                }
                return row(r);
            }
        }
    }

    private static Row row(ResultSet r) throws SQLException {
        UnitType unitType = UnitType.valueOf(r.getString(14));
        long unitSize = r.getLong(15);
        long unitPrice = r.getLong(16);
        long setupPrice = r.getLong(17);
        long bytesUp = r.getLong(9);
        long bytesDown = r.getLong(10);
        long seconds = r.getLong(11);
        BigInteger used = unitType == UnitType.BYTES ? BigInteger.valueOf(bytesUp).add(BigInteger.valueOf(bytesDown))
                : BigInteger.valueOf(seconds);
        BigInteger size = BigInteger.valueOf(unitSize);
        BigInteger units = used.add(size).subtract(BigInteger.ONE).divide(size);
        BigInteger cost = units.multiply(BigInteger.valueOf(unitPrice)).add(BigInteger.valueOf(setupPrice));
        Order order = new Order(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                ServiceStatus.of(r.getString(5)), r.getLong(6), r.getLong(7), r.getLong(8), bytesUp, bytesDown,
                seconds, clamp(units), clamp(cost), r.getLong(12), r.getLong(13));
        return new Row(order, r.getString(18));
    }

    private static long clamp(BigInteger value) {
        return value.bitLength() < 64 ? value.longValue() : Long.MAX_VALUE;
    }

    /** Orders of a product (all when null), of one status (any when null), oldest first. */
    public List<Order> list(Connection c, String product, ServiceStatus status) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM sb_order WHERE 1 = 1");
        if (product != null) {
            sql.append(" AND product_id = ?");
        }
        if (status != null) {
            sql.append(" AND status = ?");
        }
        sql.append(" ORDER BY created, id");
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (product != null) {
                s.setString(i++, product);
            }
            if (status != null) {
                s.setString(i++, status.wire());
            }
            List<Order> result = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    result.add(row(r).order());
                }
            }
            return result;
        }
    }

    /** How many orders of the offering are not terminated: what counts against its supply. */
    public long countNotTerminated(Connection c, String offering) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM sb_order"
                + " WHERE offering_id = ? AND status <> 'terminated'")) {
            s.setString(1, offering);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** A new order of {@code offering}, activating, with the offering's terms copied into it. */
    public void insertPlaced(Connection c, String id, Offering offering, String product, String clientKey,
            String passwordHash, long deposit, long now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sb_order (id, offering_id, product_id,"
                + " client_key, password_hash, status, prev_status, status_changed, status_reason, unit_type,"
                + " unit_size, unit_price, setup_price, max_units, max_billing_lag, max_inactive_sec,"
                + " max_suspended_sec, deposit, payments, bytes_up, bytes_down, seconds, last_usage, created)"
                + " VALUES (?, ?, ?, ?, ?, 'activating', 'pending', ?, 'placed', ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " 0, 0, 0, 0, ?, ?)")) {
            int i = 1;
            s.setString(i++, id);
            s.setString(i++, offering.id());
            s.setString(i++, product);
            s.setString(i++, clientKey);
            s.setString(i++, passwordHash);
            s.setLong(i++, now);
            s.setString(i++, offering.unitType().name());
            s.setLong(i++, offering.unitSize());
            s.setLong(i++, offering.unitPrice());
            s.setLong(i++, offering.setupPrice());
            s.setLong(i++, offering.maxUnits());
            s.setLong(i++, offering.maxBillingUnitLag());
            s.setLong(i++, offering.maxInactiveSeconds());
            s.setLong(i++, offering.maxSuspendedSeconds());
            s.setLong(i++, deposit);
            s.setLong(i++, now);
            s.setLong(i++, now);
            s.executeUpdate();
        }
    }

    /** A new order imported from an agent's access message: active, with no offering, price nor deposit. */
    public void insertImported(Connection c, String id, String product, String clientKey, String passwordHash,
            String accessMessage, long now) throws SQLException {
        // no offering, no price, no deposit: the billing rules leave it alone
        try (PreparedStatement s = c.prepareStatement("INSERT INTO sb_order (id, product_id, client_key,"
                + " password_hash, status, prev_status, status_changed, status_reason, unit_type, unit_size,"
                + " unit_price, setup_price, max_units, max_billing_lag, max_inactive_sec, max_suspended_sec,"
                + " deposit, payments, bytes_up, bytes_down, seconds, last_usage, created, access_message)"
                + " VALUES (?, ?, ?, ?, 'active', 'pending', ?, 'imported', 'BYTES', 1, 0, 0, 0, 0, 0, 0,"
                + " 0, 0, 0, 0, 0, ?, ?, ?)")) {
            int i = 1;
            s.setString(i++, id);
            s.setString(i++, product);
            s.setString(i++, clientKey);
            s.setString(i++, passwordHash);
            s.setLong(i++, now);
            s.setLong(i++, now);
            s.setLong(i++, now);
            s.setString(i++, accessMessage);
            s.executeUpdate();
        }
    }

    /** Replaces an imported order's access message and password (the agent moved, say). */
    public void replaceAccess(Connection c, String id, String passwordHash, String accessMessage)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE sb_order SET password_hash = ?, access_message = ? WHERE id = ?")) {
            s.setString(1, passwordHash);
            s.setString(2, accessMessage);
            s.setString(3, id);
            s.executeUpdate();
        }
    }

    /** The order imported earlier for {@code clientKey} into {@code product}, or {@code null} if none. */
    public String imported(Connection c, String product, String clientKey) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, product_id, access_message FROM sb_order WHERE client_key = ?")) {
            s.setString(1, clientKey);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                if (!product.equals(r.getString(2)) || r.getString(3) == null) {
                    throw new SessionsException(Reason.INVALID_PARAMETERS,
                            "client key " + clientKey + " already belongs to another order on this node");
                }
                return r.getString(1);
            }
        }
    }

    /** The access message an order was imported with, or null for an order placed here. */
    public String importedMessage(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT access_message FROM sb_order WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    /** Adds a payment: added, not set, so that no total is computed from a row read earlier. */
    public void addPayment(Connection c, String id, long amount) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE sb_order SET payments = payments + ? WHERE id = ?")) {
            s.setLong(1, amount);
            s.setString(2, id);
            s.executeUpdate();
        }
    }

    /**
     * Moves an order (locked by the caller) to {@code to}; an illegal transition changes nothing. Answers
     * the change, for the caller to announce once committed.
     */
    public StatusChange transition(Connection c, Order order, ServiceStatus to, String reason, long now)
            throws SQLException {
        ServiceStatus from = order.status();
        if (!from.canBecome(to)) {
            throw new SessionsException(Reason.ILLEGAL_TRANSITION, from.wire() + " cannot become " + to.wire());
        }
        String sql = statusUpdate((to == ServiceStatus.SUSPENDING ? ", suspend_cause = ?" : "")
                + (to == ServiceStatus.ACTIVE ? ", last_usage = ?" : "")
                + (to == ServiceStatus.ACTIVATING ? ", suspend_cause = NULL" : ""), "id = ? AND status = ?");
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setString(i++, to.wire());
            s.setLong(i++, now);
            s.setString(i++, reason);
            if (to == ServiceStatus.SUSPENDING) {
                s.setString(i++, reason);
            }
            if (to == ServiceStatus.ACTIVE) {
                s.setLong(i++, now);
            }
            s.setString(i++, order.id());
            s.setString(i++, from.wire());
            if (s.executeUpdate() != 1) {
                throw new SessionsException(Reason.ILLEGAL_TRANSITION, "the order changed meanwhile; retry");
            }
        }
        return new StatusChange(order.id(), order.product(), order.clientKey(), from, to, reason);
    }
}

package dev.switchboard.sessions.internal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.StatusChange;

/**
 * The billing rules as set-based SQL: each rule is one {@code UPDATE} over all orders (or one), so a
 * pass costs a few statements whatever the number of orders. Every rule only makes a legal
 * transition; the rows a rule changed are found again by a random mark to emit their events.
 */
final class Billing {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Billing.class);

    /** Used units (bytes up + down, or seconds), rounded up to whole billed units, without overflow. */
    static final String UNITS = "FLOOR(((CASE WHEN unit_type = 'BYTES' THEN CAST(bytes_up AS DECIMAL(38,0)) + bytes_down"
            + " ELSE CAST(seconds AS DECIMAL(38,0)) END) + unit_size - 1) / unit_size)";
    static final String COST = "(setup_price + " + UNITS + " * unit_price)";
    /** Amount used but not paid beyond what the allowed lag covers. */
    static final String OVER_LAG = "(" + COST + " - payments > CAST(max_billing_lag AS DECIMAL(38,0)) * unit_price)";
    static final String NO_OPEN_SESSION = "NOT EXISTS (SELECT 1 FROM sb_session s WHERE s.order_id = sb_order.id"
            + " AND s.side = 'agent' AND s.stopped = 0)";

    /** One rule: orders in {@code from} matching {@code condition} become {@code to}. */
    record Rule(String reason, String from, ServiceStatus to, String condition, String extraSet) {
    }

    static final List<Rule> RULES = List.of(
            new Rule("deposit exhausted", "'active', 'suspended'", ServiceStatus.TERMINATING,
                    "(" + COST + " >= deposit OR (max_units > 0 AND " + UNITS + " >= max_units))", ""),
            new Rule("suspended too long", "'suspended'", ServiceStatus.TERMINATING,
                    "max_suspended_sec > 0 AND ? - status_changed > max_suspended_sec * 1000", ""),
            new Rule("inactive", "'active'", ServiceStatus.TERMINATING,
                    "max_inactive_sec > 0 AND ? - last_usage > max_inactive_sec * 1000", ""),
            new Rule("unpaid", "'active'", ServiceStatus.SUSPENDING, OVER_LAG, ", suspend_cause = 'unpaid'"),
            new Rule("paid", "'suspended'", ServiceStatus.ACTIVATING,
                    "suspend_cause = 'unpaid' AND NOT " + OVER_LAG, ", suspend_cause = NULL"),
            new Rule("no open session", "'suspending'", ServiceStatus.SUSPENDED, NO_OPEN_SESSION, ""),
            new Rule("no open session", "'terminating'", ServiceStatus.TERMINATED, NO_OPEN_SESSION, ""));

    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();

    Billing(LongSupplier clock) {
        this.clock = clock;
    }

    /** Applies {@code rule} to all orders, or to {@code orderId} only; answers the changes made. */
    List<StatusChange> apply(Connection c, Rule rule, String orderId) throws SQLException {
        long now = clock.getAsLong();
        List<StatusChange> changes = new ArrayList<>();
        {
            long mark = random.nextLong() | 1L;
            String sql = "UPDATE sb_order SET prev_status = status, status = ?, status_changed = ?, status_reason = ?,"
                    + " change_mark = ?" + rule.extraSet() + " WHERE status IN (" + rule.from() + ") AND "
                    + rule.condition() + (orderId == null ? "" : " AND id = ?");
            int changed;
            long t0 = System.nanoTime();
            try (PreparedStatement s = c.prepareStatement(sql)) {
                int i = 1;
                s.setString(i++, rule.to().wire());
                s.setLong(i++, now);
                s.setString(i++, rule.reason());
                s.setLong(i++, mark);
                if (rule.condition().contains("?")) {
                    s.setLong(i++, now);
                }
                if (orderId != null) {
                    s.setString(i++, orderId);
                }
                changed = s.executeUpdate();
            }
            LOG.debug("Billing rule '{}' -> {}: {} orders in {} ms", rule.reason(), rule.to().wire(), changed,
                    (System.nanoTime() - t0) / 1_000_000);
            if (changed == 0) {
                return changes;
            }
            t0 = System.nanoTime();
            try (PreparedStatement s = c.prepareStatement("SELECT id, product_id, client_key, prev_status, status"
                    + " FROM sb_order WHERE change_mark = ?")) {
                s.setLong(1, mark);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        changes.add(new StatusChange(r.getString(1), r.getString(2), r.getString(3),
                                ServiceStatus.of(r.getString(4)), ServiceStatus.of(r.getString(5)), rule.reason()));
                    }
                }
            }
            LOG.debug("Billing rule '{}': changes read in {} ms", rule.reason(), (System.nanoTime() - t0) / 1_000_000);
        }
        return changes;
    }
}

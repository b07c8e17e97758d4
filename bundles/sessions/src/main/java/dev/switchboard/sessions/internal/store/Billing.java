package dev.switchboard.sessions.internal.store;

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
 * transition; the rows a rule changed come back from its {@code UPDATE} to emit their events. A rule's {@code UPDATE} is
 * {@link OrderRows#statusUpdate}, the statement that moves a single order too.
 */
public final class Billing {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Billing.class);

    /** Used units (bytes up + down, or seconds), rounded up to whole billed units, without overflow. */
    static final String UNITS = "FLOOR(((CASE WHEN unit_type = 'BYTES' THEN CAST(bytes_up AS DECIMAL(38,0)) + bytes_down"
            + " ELSE CAST(seconds AS DECIMAL(38,0)) END) + unit_size - 1) / unit_size)";
    static final String COST = "(setup_price + " + UNITS + " * unit_price)";
    /** Amount used but not paid beyond what the allowed lag covers. */
    static final String OVER_LAG = "(" + COST + " - payments > CAST(max_billing_lag AS DECIMAL(38,0)) * unit_price)";

    /**
     * Bounds under which the billing arithmetic cannot overflow BIGINT: units stay below 2^42, units times
     * price below 2^62, cost minus payments and lag times price within range. Orders within them (all
     * real ones) are billed in BIGINT, which is exact there and several times cheaper than DECIMAL;
     * the others fall back to DECIMAL. {@code CASE} fixes the order of evaluation on both databases.
     */
    static final String BIGINT_SAFE = "bytes_up BETWEEN 0 AND 1099511627775 AND bytes_down BETWEEN 0 AND 1099511627775"
            + " AND seconds BETWEEN 0 AND 1099511627775 AND unit_size BETWEEN 1 AND 1099511627775"
            + " AND unit_price BETWEEN 0 AND 1048575 AND setup_price BETWEEN 0 AND 1099511627775"
            + " AND payments BETWEEN 0 AND 4611686018427387903 AND max_billing_lag BETWEEN 0 AND 1099511627775";
    /** {@link #UNITS} in BIGINT: the dividend is not negative, so the integer division rounds down. */
    static final String UNITS_BIGINT = "(((CASE WHEN unit_type = 'BYTES' THEN bytes_up + bytes_down ELSE seconds END)"
            + " + unit_size - 1) / unit_size)";
    static final String COST_BIGINT = "(setup_price + " + UNITS_BIGINT + " * unit_price)";

    /** {@code condition} (in DECIMAL) as a test that uses {@code bigint} (the same in BIGINT) where it is exact. */
    static String exact(String bigint, String condition) {
        return "(CASE WHEN " + BIGINT_SAFE + " THEN " + bigint + " ELSE " + condition + " END)";
    }

    static final String EXHAUSTED = exact(
            "(" + COST_BIGINT + " >= deposit OR (max_units > 0 AND " + UNITS_BIGINT + " >= max_units))",
            "(" + COST + " >= deposit OR (max_units > 0 AND " + UNITS + " >= max_units))");
    static final String BEYOND_LAG = exact("(" + COST_BIGINT + " - payments > max_billing_lag * unit_price)", OVER_LAG);
    /** Orders this node bills: not those imported from an agent's access message, which the agent bills. */
    static final String BILLED = "offering_id IS NOT NULL AND ";
    static final String NO_OPEN_SESSION = "NOT EXISTS (SELECT 1 FROM sb_session s WHERE s.order_id = sb_order.id"
            + " AND s.side = 'agent' AND s.stopped = 0)";

    /** One rule: orders in {@code from} matching {@code condition} become {@code to}. */
    public record Rule(String reason, String from, ServiceStatus to, String condition, String extraSet) {
    }

    public static final List<Rule> RULES = List.of(
            new Rule("deposit exhausted", "'active', 'suspended'", ServiceStatus.TERMINATING,
                    BILLED + EXHAUSTED, ""),
            new Rule("suspended too long", "'suspended'", ServiceStatus.TERMINATING,
                    BILLED + "max_suspended_sec > 0 AND ? - status_changed > max_suspended_sec * 1000", ""),
            new Rule("inactive", "'active'", ServiceStatus.TERMINATING,
                    BILLED + "max_inactive_sec > 0 AND ? - last_usage > max_inactive_sec * 1000", ""),
            new Rule("unpaid", "'active'", ServiceStatus.SUSPENDING, BILLED + BEYOND_LAG, ", suspend_cause = 'unpaid'"),
            new Rule("paid", "'suspended'", ServiceStatus.ACTIVATING,
                    BILLED + "suspend_cause = 'unpaid' AND NOT " + BEYOND_LAG, ", suspend_cause = NULL"),
            new Rule("no open session", "'suspending'", ServiceStatus.SUSPENDED, NO_OPEN_SESSION, ""),
            new Rule("no open session", "'terminating'", ServiceStatus.TERMINATED, NO_OPEN_SESSION, ""));

    /**
     * Whether any rule's condition holds for the {@code sb_order} row in scope, with a clock parameter per
     * timed rule ({@link #bindDue}): built once, it runs on every usage report.
     */
    static final String DUE = RULES.stream()
            .map(rule -> "(status IN (" + rule.from() + ") AND " + rule.condition() + ")")
            .collect(java.util.stream.Collectors.joining(" OR ", "(", ")"));
    /** How many clock parameters {@link #DUE} has. */
    static final int DUE_PARAMETERS = (int) DUE.chars().filter(ch -> ch == '?').count();
    private static final String ANY_DUE = "SELECT COUNT(*) FROM sb_order WHERE id = ? AND " + DUE;

    private final LongSupplier clock;
    private final Dialect dialect;

    public Billing(LongSupplier clock, Dialect dialect) {
        this.clock = clock;
        this.dialect = dialect;
    }

    /**
     * Whether any rule holds for order {@code orderId} now: one statement that reads every rule's
     * condition, so a usage report that changes no status pays one look-up, not one update per rule.
     */
    public boolean anyDue(Connection c, String orderId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(ANY_DUE)) {
            s.setString(1, orderId);
            bindDue(s, 2);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1) > 0;
            }
        }
    }

    /** Sets the clock parameters of {@link #DUE}, the first at index {@code first}. */
    void bindDue(PreparedStatement s, int first) throws SQLException {
        long now = clock.getAsLong();
        int i = first;
        for (Rule rule : RULES) {
            if (rule.condition().contains("?")) {
                s.setLong(i++, now);
            }
        }
    }

    /**
     * Applies {@code rule} to all orders, or to {@code orderId} only; answers the changes made. The changed
     * rows come back from the {@code UPDATE} itself ({@link Dialect#returning}), so a pass is one statement per
     * rule and no second look-up.
     */
    public List<StatusChange> apply(Connection c, Rule rule, String orderId) throws SQLException {
        long now = clock.getAsLong();
        List<StatusChange> changes = new ArrayList<>();
        String update = OrderRows.statusUpdate(rule.extraSet(), "status IN (" + rule.from() + ") AND "
                + rule.condition() + (orderId == null ? "" : " AND id = ?"));
        String sql = dialect.returning("sb_order", update, "id, product_id, client_key, prev_status, status");
        long t0 = System.nanoTime();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setString(i++, rule.to().wire());
            s.setLong(i++, now);
            s.setString(i++, rule.reason());
            if (rule.condition().contains("?")) {
                s.setLong(i++, now);
            }
            if (orderId != null) {
                s.setString(i++, orderId);
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    changes.add(new StatusChange(r.getString(1), r.getString(2), r.getString(3),
                            ServiceStatus.of(r.getString(4)), ServiceStatus.of(r.getString(5)), rule.reason()));
                }
            }
        }
        LOG.debug("Billing rule '{}' -> {}: {} orders in {} ms", rule.reason(), rule.to().wire(), changes.size(),
                (System.nanoTime() - t0) / 1_000_000);
        return changes;
    }
}

package dev.switchboard.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.sessions.api.NewOffering;
import dev.switchboard.sessions.api.NewProduct;
import dev.switchboard.sessions.api.ProductCreated;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsListener;
import dev.switchboard.sessions.api.StatusChange;
import dev.switchboard.sessions.api.TemplateKind;
import dev.switchboard.sessions.api.UnitType;

/**
 * Billing passes over 100,000 active orders with open sessions, on H2 and on PostgreSQL: one pass with
 * nothing to change, one where 75,000 orders change, and one more with nothing left to change. The pass
 * times are printed, not asserted.
 */
class BillingScaleTest {

    private static final Logger LOG = LoggerFactory.getLogger(BillingScaleTest.class);
    private static final int ORDERS = 100_000;

    @TempDir
    Path dir;

    @Test
    void onePassOverHundredThousandOpenOrdersOnH2() throws Exception {
        Database database = Database.open(TestDatabases.h2(dir), "", "", 4, 5000);
        try {
            passes("H2", database);
        } finally {
            database.close();
        }
    }

    @Test
    @ExtendWith(PostgresAvailable.class)
    void onePassOverHundredThousandOpenOrdersOnPostgres() throws Exception {
        String schema = TestDatabases.createPgSchema();
        try {
            Database database = Database.open(TestDatabases.pgUrl(schema), TestDatabases.PG_USER, "", 4, 5000);
            try {
                passes("PostgreSQL", database);
            } finally {
                database.close();
            }
        } finally {
            TestDatabases.dropPgSchema(schema);
        }
    }

    private static void passes(String name, Database database) throws Exception {
        MutableClock clock = new MutableClock();
        SessionsPlugin plugin = new SessionsPlugin(database, 10_000, clock);
        Sessions sessions = plugin.sessions();
        AtomicInteger events = new AtomicInteger();
        plugin.addListener(new SessionsListener() {
            @Override
            public void statusChanged(StatusChange change) {
                events.incrementAndGet();
            }
        });
        String offer = sessions.registerTemplate(TemplateKind.OFFER, "{\"type\":\"object\"}").id();
        String access = sessions.registerTemplate(TemplateKind.ACCESS, "{\"required\":[\"username\"]}").id();
        ProductCreated product = sessions.createProduct(new NewProduct("p", offer, access, true, "e:1", Map.of()));
        // price 1 per byte, setup 0, lag 1000 bytes, inactivity 600 s
        String offering = sessions.createOffering(new NewOffering(product.product().id(), "o", UnitType.BYTES, 1,
                1, 0, 0, 0, 0, 1000, 600, 0, 0)).id();
        long now = clock.getAsLong();
        long filled = System.nanoTime();
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement o = c.prepareStatement("INSERT INTO sb_order (id, offering_id, product_id,"
                    + " client_key, password_hash, status, status_changed, unit_type, unit_size, unit_price,"
                    + " setup_price, max_units, max_billing_lag, max_inactive_sec, max_suspended_sec, deposit,"
                    + " payments, bytes_up, bytes_down, seconds, last_usage, created)"
                    + " VALUES (?, ?, ?, ?, 'x', 'active', ?, 'BYTES', 1, 1, 0, 0, 1000, 600, 0, 10000, 10000, 500,"
                    + " 0, 0, ?, ?)");
                    PreparedStatement s = c.prepareStatement("INSERT INTO sb_session (id, order_id, side,"
                            + " conn_id, started, stopped, last_report, bytes_up, bytes_down)"
                            + " VALUES (?, ?, 'agent', ?, ?, 0, ?, 500, 0)")) {
                for (int i = 0; i < ORDERS; i++) {
                    // every order is fine: paid, within its deposit, recently used
                    String id = "o" + i;
                    o.setString(1, id);
                    o.setString(2, offering);
                    o.setString(3, product.product().id());
                    o.setString(4, "k" + i);
                    o.setLong(5, now);
                    o.setLong(6, now);
                    o.setLong(7, now);
                    o.addBatch();
                    s.setString(1, "s" + i);
                    s.setString(2, id);
                    s.setString(3, "c" + i);
                    s.setLong(4, now - 1000);
                    s.setLong(5, now);
                    s.addBatch();
                    if (i % 5000 == 4999) {
                        o.executeBatch();
                        s.executeBatch();
                    }
                }
            }
            c.commit();
        }
        LOG.info("{}: inserted {} orders with open sessions in {} ms", name, ORDERS,
                (System.nanoTime() - filled) / 1_000_000);

        long start = System.nanoTime();
        int changed = sessions.runBilling();
        LOG.info("{}: billing pass over {} open orders, nothing to change: {} changed in {} ms", name, ORDERS,
                changed, (System.nanoTime() - start) / 1_000_000);
        assertThat(changed).isZero();
        assertThat(events.get()).isZero();

        // id % 4: 0 fine, 1 deposit exhausted, 2 unpaid beyond the lag, 3 inactive
        try (Connection c = database.connection(); Statement st = c.createStatement()) {
            String nr = "MOD(CAST(SUBSTRING(id FROM 2) AS INT), 4)";
            st.executeUpdate("UPDATE sb_order SET bytes_up = 10000 WHERE " + nr + " = 1");
            st.executeUpdate("UPDATE sb_order SET bytes_up = 5000, payments = 1000 WHERE " + nr + " = 2");
            st.executeUpdate("UPDATE sb_order SET last_usage = " + (now - 601_000) + " WHERE " + nr + " = 3");
        }

        start = System.nanoTime();
        changed = sessions.runBilling();
        LOG.info("{}: billing pass over {} open orders: {} changed in {} ms", name, ORDERS, changed,
                (System.nanoTime() - start) / 1_000_000);

        assertThat(changed).isEqualTo(ORDERS / 4 * 3);
        assertThat(events.get()).isEqualTo(changed);
        Map<String, Integer> counts = new HashMap<>();
        try (Connection c = database.connection(); Statement st = c.createStatement();
                ResultSet r = st.executeQuery("SELECT status, status_reason, COUNT(*) FROM sb_order"
                        + " GROUP BY status, status_reason")) {
            while (r.next()) {
                counts.put(r.getString(1) + "/" + r.getString(2), r.getInt(3));
            }
        }
        assertThat(counts).hasSize(4)
                .containsEntry("active/null", ORDERS / 4)
                .containsEntry("terminating/deposit exhausted", ORDERS / 4)
                .containsEntry("suspending/unpaid", ORDERS / 4)
                .containsEntry("terminating/inactive", ORDERS / 4);
        assertThat(sessions.order("o1").status()).isEqualTo(ServiceStatus.TERMINATING);
        assertThat(sessions.order("o2").status()).isEqualTo(ServiceStatus.SUSPENDING);
        assertThat(sessions.order("o3").status()).isEqualTo(ServiceStatus.TERMINATING);
        assertThat(sessions.order("o0").status()).isEqualTo(ServiceStatus.ACTIVE);

        // a second pass finds nothing more to do: every changed order still has its session open
        start = System.nanoTime();
        changed = sessions.runBilling();
        LOG.info("{}: billing pass over {} open orders after the changes, nothing to change: {} changed in {} ms",
                name, ORDERS, changed, (System.nanoTime() - start) / 1_000_000);
        assertThat(changed).isZero();
        assertThat(events.get()).isEqualTo(ORDERS / 4 * 3);
    }
}

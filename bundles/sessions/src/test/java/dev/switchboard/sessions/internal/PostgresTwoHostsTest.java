package dev.switchboard.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.switchboard.sessions.api.AgentApi;
import dev.switchboard.sessions.api.ConnectionChange;
import dev.switchboard.sessions.api.NewOffering;
import dev.switchboard.sessions.api.NewProduct;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.ProductCreated;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsListener;
import dev.switchboard.sessions.api.StatusChange;
import dev.switchboard.sessions.api.TemplateKind;
import dev.switchboard.sessions.api.UnitType;
import dev.switchboard.sessions.api.UsageReport;

/**
 * Two hosts on one PostgreSQL schema: each sees the other's orders, and hears of the other's status
 * and connection changes (LISTEN/NOTIFY) once, whatever the other sends it.
 */
@ExtendWith(PostgresAvailable.class)
class PostgresTwoHostsTest {

    private static final Duration FEW_SECONDS = Duration.ofSeconds(5);

    private String schema;
    private SessionsPlugin left;
    private SessionsPlugin right;
    private final List<StatusChange> heardOnRight = new CopyOnWriteArrayList<>();
    private final List<ConnectionChange> connectionsHeardOnRight = new CopyOnWriteArrayList<>();
    private final List<StatusChange> heardOnLeft = new CopyOnWriteArrayList<>();

    @BeforeEach
    void twoHosts() throws Exception {
        schema = TestDatabases.createPgSchema();
        left = host(heardOnLeft, new CopyOnWriteArrayList<>());
        right = host(heardOnRight, connectionsHeardOnRight);
    }

    private SessionsPlugin host(List<StatusChange> statuses, List<ConnectionChange> connections) throws Exception {
        Database database = Database.open(TestDatabases.pgUrl(schema), TestDatabases.PG_USER, "", 4, 2000);
        SessionsPlugin host = new SessionsPlugin(database, 10_000, System::currentTimeMillis);
        host.addListener(new SessionsListener() {
            @Override
            public void statusChanged(StatusChange change) {
                statuses.add(change);
            }

            @Override
            public void connectionChanged(ConnectionChange change) {
                connections.add(change);
            }
        });
        host.shareEventsWithOtherHosts();
        return host;
    }

    @AfterEach
    void stop() throws Exception {
        left.deactivate();
        right.deactivate();
        TestDatabases.dropPgSchema(schema);
    }

    private record Sold(ProductCreated product, String offering) {
    }

    private Sold sell(SessionsPlugin host, long maxInactiveSeconds) {
        Sessions sessions = host.sessions();
        String offer = sessions.registerTemplate(TemplateKind.OFFER, "{\"type\":\"object\"}").id();
        String access = sessions.registerTemplate(TemplateKind.ACCESS, "{\"required\":[\"username\"]}").id();
        ProductCreated product = sessions.createProduct(new NewProduct("proxy", offer, access, true, "a:1", Map.of()));
        String offering = sessions.createOffering(new NewOffering(product.product().id(), "bytes", UnitType.BYTES, 1, 1,
                0, 0, 0, 0, 1000, maxInactiveSeconds, 0, 0)).id();
        return new Sold(product, offering);
    }

    @Test
    void aChangeMadeOnOneHostReachesTheOtherOnceAndNotItsOwnTwice() throws Exception {
        Sold sold = sell(left, 0);
        PlacedOrder placed = left.sessions().placeOrder(sold.offering(), 100_000);
        String order = placed.order().id();
        assertThat(right.sessions().order(order).status()).as("the same orders on both")
                .isEqualTo(ServiceStatus.ACTIVATING);

        AgentApi agent = right.sessions().agent(sold.product().product().id(), sold.product().credential());
        agent.startSession(placed.order().clientKey(), "c1", "10.0.0.1");
        agent.updateSession(placed.order().clientKey(), "c1", new UsageReport(100, 200));
        left.sessions().suspend(order);

        await().atMost(FEW_SECONDS).until(() -> heardOnRight.stream()
                .anyMatch(c -> c.order().equals(order) && c.to() == ServiceStatus.SUSPENDING));
        await().atMost(FEW_SECONDS).until(() -> heardOnLeft.stream()
                .anyMatch(c -> c.order().equals(order) && c.to() == ServiceStatus.ACTIVE));
        assertThat(left.sessions().order(order).bytesDown()).isEqualTo(200);

        right.sessions().agent(sold.product().product().id(), sold.product().credential())
                .stopSession(placed.order().clientKey(), "c1", new UsageReport(100, 300));
        await().atMost(FEW_SECONDS).until(() -> heardOnLeft.stream()
                .anyMatch(c -> c.order().equals(order) && c.to() == ServiceStatus.SUSPENDED));
        assertThat(connectionsHeardOnRight).extracting(ConnectionChange::command).containsExactly("start", "stop");

        // each change is heard once on each host: its own directly, the other's by notification, which
        // may come after a later change made here
        awaitEveryNotification(sold);
        assertThat(of(order, heardOnRight)).extracting(StatusChange::to).containsExactlyInAnyOrder(
                ServiceStatus.ACTIVATING, ServiceStatus.ACTIVE, ServiceStatus.SUSPENDING, ServiceStatus.SUSPENDED);
        assertThat(of(order, heardOnLeft)).extracting(StatusChange::to).containsExactlyInAnyOrder(
                ServiceStatus.ACTIVATING, ServiceStatus.ACTIVE, ServiceStatus.SUSPENDING, ServiceStatus.SUSPENDED);
    }

    @Test
    void aBillingPassThatChangesManyOrdersReachesTheOtherHostInFull() throws Exception {
        Sold sold = sell(left, 0);
        int orders = 400;
        for (int i = 0; i < orders; i++) {
            left.sessions().placeOrder(sold.offering(), 1000);
        }
        try (Connection c = left.database().connection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE sb_order SET status = 'active', bytes_up = 5000");
        }
        // exhausted, then terminated at once: no session is open
        assertThat(left.sessions().runBilling()).isEqualTo(2 * orders);
        // 800 changes of about 200 bytes each need many notifications
        await().atMost(FEW_SECONDS).until(() -> to(ServiceStatus.TERMINATED, heardOnRight).size() >= orders);
        awaitEveryNotification(sold);
        assertThat(to(ServiceStatus.TERMINATING, heardOnRight)).hasSize(orders)
                .allMatch(c -> c.reason().equals("deposit exhausted"))
                .extracting(StatusChange::order).doesNotHaveDuplicates();
        assertThat(to(ServiceStatus.TERMINATED, heardOnRight)).hasSize(orders)
                .extracting(StatusChange::order).doesNotHaveDuplicates();
    }

    private static List<StatusChange> to(ServiceStatus status, List<StatusChange> changes) {
        return changes.stream().filter(c -> c.to() == status).toList();
    }

    private static List<StatusChange> of(String order, List<StatusChange> changes) {
        return changes.stream().filter(c -> c.order().equals(order)).toList();
    }

    /**
     * Waits until each host has heard of an order the other placed last: a host sends its changes in
     * order and PostgreSQL delivers them in order, so every change sent before has arrived too.
     */
    private void awaitEveryNotification(Sold sold) {
        String fromLeft = left.sessions().placeOrder(sold.offering(), 1000).order().id();
        String fromRight = right.sessions().placeOrder(sold.offering(), 1000).order().id();
        await().atMost(FEW_SECONDS).until(() -> !of(fromLeft, heardOnRight).isEmpty()
                && !of(fromRight, heardOnLeft).isEmpty());
    }

    @Test
    void malformedNotificationsAreIgnoredAndALostListenerComesBack() throws Exception {
        Sold sold = sell(left, 0);
        String channel = "switchboard_sessions_" + schema;
        try (Connection c = left.database().connection();
                PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            for (String garbage : List.of("not json", "{\"host\":\"x\",\"changes\":[{\"status\":{\"to\":\"nope\"}}]}",
                    "{\"host\":\"x\",\"changes\":[{\"status\":42}]}", "[]")) {
                s.setString(1, channel);
                s.setString(2, garbage);
                s.execute();
            }
        }
        // the database drops the listening connections of both hosts
        try (Connection c = left.database().connection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'"
                    + " AND pid <> pg_backend_pid()");
        }
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            // changes sent while the listener was away are gone; later ones arrive once it is back
            String order = left.sessions().placeOrder(sold.offering(), 100_000).order().id();
            return heardWithin(order, Duration.ofMillis(300));
        });
        assertThat(heardOnRight).allMatch(c -> c.product().equals(sold.product().product().id()));
    }

    /** Whether the right host hears of the order within {@code time}; false when it was sent while no one listened. */
    private boolean heardWithin(String order, Duration time) throws InterruptedException {
        long deadline = System.nanoTime() + time.toNanos();
        do {
            if (heardOnRight.stream().anyMatch(c -> c.order().equals(order) && c.to() == ServiceStatus.ACTIVATING)) {
                return true;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        return false;
    }
}

package dev.switchboard.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.sessions.api.AgentApi;
import dev.switchboard.sessions.api.ClientApi;
import dev.switchboard.sessions.api.ConnectionChange;
import dev.switchboard.sessions.api.NewOffering;
import dev.switchboard.sessions.api.NewProduct;
import dev.switchboard.sessions.api.Offering;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.ProductCreated;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;
import dev.switchboard.sessions.api.SessionsListener;
import dev.switchboard.sessions.api.StatusChange;
import dev.switchboard.sessions.api.Template;
import dev.switchboard.sessions.api.TemplateKind;
import dev.switchboard.sessions.api.UnitType;
import dev.switchboard.sessions.api.UsageReport;

/** The Service API's behaviour, run against each database by a subclass. */
abstract class SessionsContract {

    static final String OFFER_SCHEMA = "{\"type\":\"object\",\"required\":[\"templateHash\",\"unitType\"]}";
    static final String ACCESS_SCHEMA = "{\"type\":\"object\",\"required\":[\"username\",\"password\","
            + "\"serviceEndpointAddress\",\"additionalParams\"],\"properties\":{\"additionalParams\":"
            + "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}}}";
    /** Demands a port in the product configuration. */
    static final String STRICT_ACCESS_SCHEMA = "{\"type\":\"object\",\"required\":[\"additionalParams\"],"
            + "\"properties\":{\"additionalParams\":{\"type\":\"object\",\"required\":[\"port\"],"
            + "\"properties\":{\"port\":{\"type\":\"string\",\"pattern\":\"^[0-9]+$\"}}}}}";
    static final ObjectMapper TRANSPORT = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    protected final MutableClock clock = new MutableClock();
    protected Database database;
    protected SessionsPlugin plugin;
    protected Sessions sessions;
    protected final List<StatusChange> statusEvents = Collections.synchronizedList(new ArrayList<>());
    protected final List<ConnectionChange> connectionEvents = Collections.synchronizedList(new ArrayList<>());
    protected final List<String> sinkEvents = Collections.synchronizedList(new ArrayList<>());

    /** Opens a fresh, migrated database. */
    protected abstract Database open() throws Exception;

    protected abstract void dispose() throws Exception;

    @BeforeEach
    void start() throws Exception {
        database = open();
        plugin = new SessionsPlugin(database, 10_000, clock);
        sessions = plugin.sessions();
        plugin.addListener(new SessionsListener() {
            @Override
            public void statusChanged(StatusChange change) {
                statusEvents.add(change);
            }

            @Override
            public void connectionChanged(ConnectionChange change) {
                connectionEvents.add(change);
            }
        });
        plugin.attach((event, index, params) -> sinkEvents.add(event));
    }

    @AfterEach
    void stop() throws Exception {
        database.close();
        dispose();
    }

    // ------------------------------------------------------------ fixtures

    record Fixture(ProductCreated product, Offering offering, AgentApi agent) {
    }

    Fixture fixture(NewOffering terms) {
        Template offer = sessions.registerTemplate(TemplateKind.OFFER, OFFER_SCHEMA);
        Template access = sessions.registerTemplate(TemplateKind.ACCESS, ACCESS_SCHEMA);
        ProductCreated product = sessions.createProduct(new NewProduct("vpn", offer.id(), access.id(), true,
                "vpn.example:1194", Map.of("proto", "udp")));
        Offering offering = sessions.createOffering(new NewOffering(product.product().id(), terms.name(),
                terms.unitType(), terms.unitSize(), terms.unitPrice(), terms.setupPrice(), terms.minUnits(),
                terms.maxUnits(), terms.billingInterval(), terms.maxBillingUnitLag(), terms.maxInactiveSeconds(),
                terms.maxSuspendedSeconds(), terms.supply()));
        return new Fixture(product, offering, sessions.agent(product.product().id(), product.credential()));
    }

    /** 1 unit = 1 byte at price 1, setup 10, lag 1000 units, deposit covers it all generously. */
    Fixture bytes() {
        return fixture(new NewOffering(null, "bytes", UnitType.BYTES, 1, 1, 10, 0, 0, 100, 1000, 0, 0, 0));
    }

    /** Nothing to pay: usage alone never changes the order's status. */
    Fixture free() {
        return fixture(new NewOffering(null, "free", UnitType.BYTES, 1, 0, 0, 0, 0, 100, 0, 0, 0, 0));
    }

    /** Asserts the reason of a failure, thrown by the Java face or answered by the JSON-RPC face. */
    static void fails(Runnable call, Reason reason) {
        Throwable thrown = catchThrowable(call::run);
        if (thrown instanceof JsonRpcException e && e.data() instanceof Map<?, ?> data) {
            assertThat(data.get("reason")).as(String.valueOf(data.get("detail"))).isEqualTo(reason.name());
        } else {
            assertThat(thrown).isInstanceOfSatisfying(SessionsException.class,
                    e -> assertThat(e.reason()).as(e.detail()).isEqualTo(reason));
        }
    }

    /** Asserts the JSON-RPC error of a failure, answered by the JSON-RPC face or mapped from the Java face's. */
    static void failsWith(Runnable call, ErrorCode code) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).isInstanceOfAny(SessionsException.class, JsonRpcException.class);
        JsonRpcException e = thrown instanceof SessionsException s ? RpcErrors.of(s) : (JsonRpcException) thrown;
        assertThat(e.code()).isEqualTo(code.code());
    }

    <T> T params(String json, Class<T> type) throws Exception {
        return TRANSPORT.readValue(json, type);
    }

    // ------------------------------------------------------------ templates

    @Test
    void templateIdIsTheHashOfTheCompactedJsonAndRegisteringTwiceIsIdempotent() {
        Template a = sessions.registerTemplate(TemplateKind.OFFER, "{ \"type\" : \"object\" }");
        Template b = sessions.registerTemplate(TemplateKind.OFFER, "{\"type\":\"object\"}");
        assertThat(a.id()).isEqualTo(b.id()).isEqualTo(Secrets.sha256("{\"type\":\"object\"}"));
        fails(() -> sessions.registerTemplate(TemplateKind.ACCESS, "{\"type\":\"object\"}"), Reason.INVALID_PARAMETERS);
    }

    @Test
    void aTemplateRegisteredTwiceAtOnceIsRegisteredOnce() throws Exception {
        int schemas = 30;
        Callable<Integer> registrar = () -> {
            for (int i = 0; i < schemas; i++) {
                String schema = "{\"type\":\"object\",\"maxProperties\":" + i + "}";
                assertThat(sessions.registerTemplate(TemplateKind.OFFER, schema).id()).isEqualTo(Secrets.sha256(schema));
            }
            return schemas;
        };
        assertThat(together(List.of(registrar, registrar, registrar, registrar))).containsOnly(schemas);
    }

    @Test
    void anAccessMessageImportedTwiceAtOnceMakesOneOrder() throws Exception {
        Template offer = sessions.registerTemplate(TemplateKind.OFFER, OFFER_SCHEMA);
        Template access = sessions.registerTemplate(TemplateKind.ACCESS, ACCESS_SCHEMA);
        String product = sessions.createProduct(new NewProduct("vpn client", offer.id(), access.id(), false, null,
                Map.of())).product().id();
        int messages = 20;
        Callable<Integer> importer = () -> {
            for (int i = 0; i < messages; i++) {
                Order order = sessions.importAccess(product, Map.of("templateHash", access.id(), "username", "key" + i,
                        "password", "secret" + i, "serviceEndpointAddress", "vpn.example:1194",
                        "additionalParams", Map.of()));
                assertThat(order.clientKey()).isEqualTo("key" + i);
            }
            return messages;
        };
        assertThat(together(List.of(importer, importer, importer, importer))).containsOnly(messages);
        assertThat(sessions.orders(product, null)).hasSize(messages);
    }

    @Test
    void invalidJsonSchemaIsRefused() {
        fails(() -> sessions.registerTemplate(TemplateKind.OFFER, "{\"type\":5}"), Reason.INVALID_SCHEMA);
        fails(() -> sessions.registerTemplate(TemplateKind.OFFER, "{\"required\":\"x\"}"), Reason.INVALID_SCHEMA);
        fails(() -> sessions.registerTemplate(TemplateKind.OFFER, "[1,2]"), Reason.INVALID_SCHEMA);
        fails(() -> sessions.registerTemplate(TemplateKind.OFFER, "{not json"), Reason.INVALID_SCHEMA);
        fails(() -> plugin.registerTemplate(unchecked(() -> params("{\"kind\":\"OFFER\",\"schema\":\"text\"}",
                JSessions.TemplateParams.class))), Reason.INVALID_SCHEMA);
    }

    // ------------------------------------------------------------ orders and credentials

    @Test
    void placeOrderGeneratesCredentialsStoresOnlyASlowHashAndAValidAccessMessage() throws Exception {
        Fixture f = bytes();
        PlacedOrder placed = sessions.placeOrder(f.offering().id(), 10_000);
        assertThat(Base64.getUrlDecoder().decode(placed.password())).hasSizeGreaterThanOrEqualTo(16);
        assertThat(placed.order().status()).isEqualTo(ServiceStatus.ACTIVATING);
        assertThat(placed.accessMessage()).containsEntry("username", placed.order().clientKey())
                .containsEntry("password", placed.password())
                .containsEntry("serviceEndpointAddress", "vpn.example:1194")
                .containsEntry("additionalParams", Map.of("proto", "udp"));
        try (Connection c = database.connection();
                PreparedStatement s = c.prepareStatement("SELECT password_hash FROM sb_order WHERE id = ?")) {
            s.setString(1, placed.order().id());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertThat(r.getString(1)).startsWith("pbkdf2-sha256$").doesNotContain(placed.password());
            }
        }
        assertThat(statusEvents).extracting(StatusChange::to).containsExactly(ServiceStatus.ACTIVATING);
        fails(() -> sessions.placeOrder(f.offering().id(), -1), Reason.INVALID_PARAMETERS);
        fails(() -> sessions.placeOrder("nope", 100), Reason.UNKNOWN_OFFERING);
    }

    @Test
    void depositMustCoverSetupAndMinimumAndSupplyIsLimited() {
        Fixture f = fixture(new NewOffering(null, "o", UnitType.BYTES, 1, 2, 10, 5, 0, 0, 100, 0, 0, 1));
        fails(() -> sessions.placeOrder(f.offering().id(), 19), Reason.INVALID_PARAMETERS);
        sessions.placeOrder(f.offering().id(), 20);
        fails(() -> sessions.placeOrder(f.offering().id(), 20), Reason.SUPPLY_EXHAUSTED);
    }

    @Test
    void ordersPlacedAtOnceNeverExceedTheSupply() throws Exception {
        Fixture f = fixture(new NewOffering(null, "o", UnitType.BYTES, 1, 0, 0, 0, 0, 100, 0, 0, 0, 5));
        Callable<Integer> buyer = () -> {
            int placed = 0;
            for (int i = 0; i < 5; i++) {
                try {
                    sessions.placeOrder(f.offering().id(), 1);
                    placed++;
                } catch (SessionsException e) {
                    assertThat(e.reason()).as(e.detail()).isEqualTo(Reason.SUPPLY_EXHAUSTED);
                }
            }
            return placed;
        };
        assertThat(together(List.of(buyer, buyer, buyer, buyer)).stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(5);
        assertThat(sessions.orders(f.product().product().id(), null)).hasSize(5);
    }

    @Test
    void authClientChecksPasswordKeyProductAndStatusAndSlowsDownGuessing() {
        Fixture f = bytes();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 10_000);
        f.agent().authClient(a.order().clientKey(), a.password());
        fails(() -> f.agent().authClient("unknown", a.password()), Reason.UNKNOWN_CLIENT);
        fails(() -> f.agent().authClient(a.order().clientKey(), "wrong"), Reason.BAD_PASSWORD);
        fails(() -> f.agent().authClient(a.order().clientKey(), "wrong"), Reason.BAD_PASSWORD);
        fails(() -> f.agent().authClient(a.order().clientKey(), "wrong"), Reason.BAD_PASSWORD);
        // now even the right password waits
        fails(() -> f.agent().authClient(a.order().clientKey(), a.password()), Reason.TOO_MANY_FAILURES);
        clock.advanceSeconds(2);
        f.agent().authClient(a.order().clientKey(), a.password());
    }

    @Test
    void authClientFailsUnlessActiveOrActivating() {
        Fixture f = bytes();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 10_000);
        f.agent().startSession(a.order().clientKey(), "c1", "10.0.0.1:5000");
        sessions.suspend(a.order().id());
        fails(() -> f.agent().authClient(a.order().clientKey(), a.password()), Reason.NOT_ACTIVE);
        failsWith(() -> f.agent().authClient(a.order().clientKey(), a.password()), ErrorCode.ILLEGAL_STATE);
    }

    @Test
    void wrongAdapterCredentialAndOtherProductsOrdersAreRefused() {
        Fixture f = bytes();
        fails(() -> sessions.agent(f.product().product().id(), "guess"), Reason.BAD_CREDENTIAL);
        fails(() -> sessions.agent("no-such-product", "x"), Reason.UNKNOWN_PRODUCT);
        ProductCreated other = sessions.createProduct(new NewProduct("other", f.product().product().offerTemplate(),
                f.product().product().accessTemplate(), true, "other:1", Map.of()));
        AgentApi otherAgent = sessions.agent(other.product().id(), other.credential());
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 10_000);
        fails(() -> otherAgent.authClient(a.order().clientKey(), a.password()), Reason.OTHER_PRODUCT);
        fails(() -> otherAgent.startSession(a.order().clientKey(), "c", null), Reason.OTHER_PRODUCT);
        fails(() -> otherAgent.updateSession(a.order().clientKey(), "c", new UsageReport(1, 1)), Reason.OTHER_PRODUCT);
        fails(() -> otherAgent.stopSession(a.order().clientKey(), "c", null), Reason.OTHER_PRODUCT);
        assertThat(sessions.sessions(a.order().id())).isEmpty();
    }

    // ------------------------------------------------------------ status machine

    @Test
    void statusMachineAllowsOnlyLegalTransitions() {
        Fixture f = bytes();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 10_000);
        String id = a.order().id();
        String key = a.order().clientKey();
        failsWith(() -> sessions.suspend(id), ErrorCode.ILLEGAL_STATE);
        failsWith(() -> sessions.terminate(id), ErrorCode.ILLEGAL_STATE);
        assertThat(sessions.order(id).status()).isEqualTo(ServiceStatus.ACTIVATING);

        f.agent().startSession(key, "c1", "10.0.0.1:5000");
        assertThat(sessions.order(id).status()).isEqualTo(ServiceStatus.ACTIVE);
        failsWith(() -> sessions.resume(id), ErrorCode.ILLEGAL_STATE);

        assertThat(sessions.suspend(id).status()).isEqualTo(ServiceStatus.SUSPENDING);
        assertThat(f.agent().updateSession(key, "c1", new UsageReport(5, 5))).isEqualTo(ServiceStatus.SUSPENDING);
        assertThat(f.agent().stopSession(key, "c1", null)).isEqualTo(ServiceStatus.SUSPENDED);
        fails(() -> f.agent().startSession(key, "c2", null), Reason.NOT_ACTIVE);

        assertThat(sessions.resume(id).status()).isEqualTo(ServiceStatus.ACTIVATING);
        f.agent().startSession(key, "c2", null);
        assertThat(sessions.terminate(id).status()).isEqualTo(ServiceStatus.TERMINATING);
        assertThat(f.agent().stopSession(key, "c2", null)).isEqualTo(ServiceStatus.TERMINATED);
        failsWith(() -> sessions.resume(id), ErrorCode.ILLEGAL_STATE);
        assertThat(sessions.order(id).status()).isEqualTo(ServiceStatus.TERMINATED);

        assertThat(statusEvents).extracting(StatusChange::to).containsExactly(ServiceStatus.ACTIVATING,
                ServiceStatus.ACTIVE, ServiceStatus.SUSPENDING, ServiceStatus.SUSPENDED, ServiceStatus.ACTIVATING,
                ServiceStatus.ACTIVE, ServiceStatus.TERMINATING, ServiceStatus.TERMINATED);
        assertThat(connectionEvents).extracting(ConnectionChange::command).containsExactly("start", "stop", "start",
                "stop");
        assertThat(sinkEvents).contains(Events.STATUS_CHANGE, Events.CONNECTION_CHANGE);
    }

    @Test
    void suspendingWithoutOpenSessionCompletesAtOnce() {
        Fixture f = bytes();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 10_000);
        f.agent().startSession(a.order().clientKey(), "c1", null);
        f.agent().stopSession(a.order().clientKey(), "c1", null);
        assertThat(sessions.suspend(a.order().id()).status()).isEqualTo(ServiceStatus.SUSPENDED);
        assertThat(sessions.terminate(a.order().id()).status()).isEqualTo(ServiceStatus.TERMINATED);
    }

    // ------------------------------------------------------------ sessions and usage

    @Test
    void startSessionIsIdempotentPerConnectionAndClosesAStaleOne() {
        Fixture f = bytes();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 10_000);
        PlacedOrder b = sessions.placeOrder(f.offering().id(), 10_000);
        SessionInfo first = f.agent().startSession(a.order().clientKey(), "10.0.0.1:5000", "10.0.0.1");
        SessionInfo again = f.agent().startSession(a.order().clientKey(), "10.0.0.1:5000", "10.0.0.1");
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(sessions.sessions(a.order().id())).hasSize(1);
        // the same connection now carries another client: the old session is stale
        SessionInfo other = f.agent().startSession(b.order().clientKey(), "10.0.0.1:5000", "10.0.0.1");
        assertThat(other.id()).isNotEqualTo(first.id());
        assertThat(sessions.sessions(a.order().id())).singleElement().satisfies(s -> assertThat(s.stopped()).isPositive());
    }

    @Test
    void cumulativeUsageCountsRetriesOnceAndRefusesDecreaseNegativeAndOverflow() {
        Fixture f = bytes();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 1_000_000);
        String key = a.order().clientKey();
        f.agent().startSession(key, "c1", null);
        clock.advanceSeconds(30);
        assertThat(f.agent().updateSession(key, "c1", new UsageReport(100, 200))).isEqualTo(ServiceStatus.ACTIVE);
        assertThat(f.agent().updateSession(key, "c1", new UsageReport(100, 200))).isEqualTo(ServiceStatus.ACTIVE);
        Order order = sessions.order(a.order().id());
        assertThat(order.bytesUp()).isEqualTo(100);
        assertThat(order.bytesDown()).isEqualTo(200);
        assertThat(order.seconds()).isEqualTo(30);
        assertThat(order.units()).isEqualTo(300);
        assertThat(order.cost()).isEqualTo(310);

        fails(() -> f.agent().updateSession(key, "c1", new UsageReport(99, 500)), Reason.USAGE_DECREASED);
        fails(() -> f.agent().updateSession(key, "c1", new UsageReport(-1, 500)), Reason.INVALID_PARAMETERS);
        fails(() -> f.agent().updateSession(key, "c1", new UsageReport(Long.MAX_VALUE, Long.MAX_VALUE)),
                Reason.INVALID_PARAMETERS);
        fails(() -> f.agent().updateSession(key, "nope", new UsageReport(1, 1)), Reason.UNKNOWN_SESSION);
        fails(() -> f.agent().updateSession("nokey", "c1", new UsageReport(1, 1)), Reason.UNKNOWN_CLIENT);
        assertThat(sessions.order(a.order().id()).bytesUp()).isEqualTo(100);
        assertThat(sessions.order(a.order().id()).bytesDown()).isEqualTo(200);

        // a second connection adds to the order; a late report for a stopped session still counts
        f.agent().startSession(key, "c2", null);
        f.agent().updateSession(key, "c2", new UsageReport(1, 1));
        f.agent().stopSession(key, "c2", new UsageReport(2, 2));
        f.agent().updateSession(key, "c2", new UsageReport(3, 3));
        assertThat(sessions.order(a.order().id()).bytesUp()).isEqualTo(103);
        assertThat(sessions.sessions(a.order().id())).hasSize(2);
    }

    @Test
    void aSessionReportedThroughAnotherHostMeanwhileIsCountedFromWhatThatHostRecorded() {
        Fixture f = bytes();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 1_000_000);
        String key = a.order().clientKey();
        AgentApi here = f.agent();
        AgentApi elsewhere = new SessionsPlugin(database, 10_000, clock).sessions().agent(f.product().product().id(),
                f.product().credential());
        here.startSession(key, "c1", null);
        here.updateSession(key, "c1", new UsageReport(100, 10));
        elsewhere.updateSession(key, "c1", new UsageReport(300, 30));
        // this host last recorded 100 up: the order grows by 50 from the 300 recorded elsewhere, not by 250
        here.updateSession(key, "c1", new UsageReport(350, 35));
        here.updateSession(key, "c1", new UsageReport(350, 35));
        assertThat(sessions.order(a.order().id()).bytesUp()).isEqualTo(350);
        assertThat(sessions.order(a.order().id()).bytesDown()).isEqualTo(35);
        fails(() -> elsewhere.updateSession(key, "c1", new UsageReport(320, 40)), Reason.USAGE_DECREASED);

        elsewhere.stopSession(key, "c1", new UsageReport(400, 40));
        // a late report here on the session stopped elsewhere is recorded like any late report
        here.updateSession(key, "c1", new UsageReport(410, 41));
        assertThat(sessions.order(a.order().id()).bytesUp()).isEqualTo(410);
        assertThat(sessions.sessions(a.order().id())).singleElement()
                .satisfies(s -> assertThat(s.stopped()).isPositive());
    }

    @Test
    void reportsRacingOnOneSessionCountEveryByteOnce() throws Exception {
        Fixture f = free();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 1);
        String key = a.order().clientKey();
        AgentApi elsewhere = new SessionsPlugin(database, 10_000, clock).sessions().agent(f.product().product().id(),
                f.product().credential());
        f.agent().startSession(key, "c1", null);
        f.agent().startSession(key, "c2", null);
        int reports = 150;
        // two hosts send the same growing totals of c1 (a report and its retry racing), a third stream reports c2
        List<Callable<Integer>> streams = List.of(
                () -> race(f.agent(), key, "c1", reports), () -> race(elsewhere, key, "c1", reports),
                () -> race(f.agent(), key, "c2", reports));
        assertThat(together(streams).stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(2 * reports);
        Order order = sessions.order(a.order().id());
        assertThat(order.bytesUp()).as(sessions.sessions(a.order().id()).toString()).isEqualTo(2 * 100L * reports);
        assertThat(order.bytesDown()).isEqualTo(2 * 10L * reports);
        assertThat(sessions.sessions(a.order().id())).allSatisfy(s -> {
            assertThat(s.bytesUp()).isEqualTo(100L * reports);
            assertThat(s.bytesDown()).isEqualTo(10L * reports);
        });
    }

    @Test
    void paymentsRacingWithReportsOnOneOrderLoseNeither() throws Exception {
        Fixture f = free();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 1);
        Order order = reportWhile(f, a, 150, () -> sessions.recordPayment(a.order().id(), 3));
        assertThat(order.paymentsReceived()).isEqualTo(3L * 150);
    }

    @Test
    void refusedOperatorCallsRacingWithReportsLoseNoUsage() throws Exception {
        Fixture f = free();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 1);
        // resuming an active order is an illegal transition: each call locks the order, is refused and rolls back
        Order order = reportWhile(f, a, 300,
                () -> fails(() -> sessions.resume(a.order().id()), Reason.ILLEGAL_TRANSITION));
        assertThat(order.status()).isEqualTo(ServiceStatus.ACTIVE);
    }

    /**
     * Reports growing totals {@code rounds} times on one connection of {@code placed} while {@code call} runs as
     * many times; checks that every reported byte reached the order, and answers the order after.
     */
    private Order reportWhile(Fixture f, PlacedOrder placed, int rounds, Runnable call) throws Exception {
        String key = placed.order().clientKey();
        f.agent().startSession(key, "c1", null);
        assertThat(together(List.of(() -> race(f.agent(), key, "c1", rounds), () -> {
            for (int i = 0; i < rounds; i++) {
                call.run();
            }
            return rounds;
        }))).containsOnly(rounds);
        Order order = sessions.order(placed.order().id());
        assertThat(order.bytesUp()).isEqualTo(100L * rounds);
        assertThat(order.bytesDown()).isEqualTo(10L * rounds);
        return order;
    }

    /** Runs {@code streams} at once; answers what each answered. */
    private static List<Integer> together(List<Callable<Integer>> streams) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(streams.size());
        try {
            List<Integer> answers = new ArrayList<>();
            for (Future<Integer> done : pool.invokeAll(streams)) {
                answers.add(done.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void billingPassesRacingWithReportsDecideOnWhatWasReported() throws Exception {
        Fixture f = fixture(new NewOffering(null, "idle", UnitType.BYTES, 1, 0, 0, 0, 0, 100, 0, 60, 0, 0));
        int orders = 200;
        List<PlacedOrder> placed = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            PlacedOrder order = sessions.placeOrder(f.offering().id(), 1);
            f.agent().startSession(order.order().clientKey(), "c" + i, null);
            placed.add(order);
        }
        clock.advanceSeconds(61);
        // every order is now inactive unless its report lands first; reports and passes race over the same rows
        CountDownLatch reporting = new CountDownLatch(orders / 4);
        AtomicBoolean reported = new AtomicBoolean();
        Map<String, ServiceStatus> answered = new ConcurrentHashMap<>();
        Callable<Integer> reports = () -> {
            for (int i = 0; i < orders; i++) {
                PlacedOrder order = placed.get(i);
                answered.put(order.order().id(), f.agent().updateSession(order.order().clientKey(), "c" + i,
                        new UsageReport(1000 + i, i)));
                reporting.countDown();
            }
            reported.set(true);
            return orders;
        };
        Callable<Integer> passes = () -> {
            reporting.await();
            int changed = 0;
            while (!reported.get()) {
                changed += sessions.runBilling();
            }
            return changed;
        };
        assertThat(together(List.of(reports, passes)).get(1)).isPositive().isLessThan(orders);
        for (int i = 0; i < orders; i++) {
            Order order = sessions.order(placed.get(i).order().id());
            assertThat(order.bytesUp()).isEqualTo(1000 + i);
            assertThat(order.bytesDown()).isEqualTo(i);
            // a report that landed first keeps its order active; one that came after the pass is told so
            assertThat(order.status()).as(order.id()).isEqualTo(answered.get(order.id()));
        }
        assertThat(sessions.runBilling()).isZero();
        long terminating = answered.values().stream().filter(ServiceStatus.TERMINATING::equals).count();
        assertThat(terminating).isPositive();
        assertThat(statusEvents).filteredOn(e -> e.to() == ServiceStatus.TERMINATING)
                .hasSize((int) terminating).extracting(StatusChange::order).doesNotHaveDuplicates();
    }

    /** Reports totals growing to {@code reports} × (100, 10); answers how many were taken, not refused as lower. */
    private static int race(AgentApi agent, String key, String connection, int reports) {
        int accepted = 0;
        for (int i = 1; i <= reports; i++) {
            try {
                assertThat(agent.updateSession(key, connection, new UsageReport(100L * i, 10L * i)))
                        .isEqualTo(ServiceStatus.ACTIVE);
                accepted++;
            } catch (SessionsException e) {
                // the other host got further first: the same totals' retry is then lower than what is stored
                assertThat(e.reason()).as(e.detail()).isEqualTo(Reason.USAGE_DECREASED);
            }
        }
        return accepted;
    }

    @Test
    void theMonitorClosesSessionsWhoseAdapterStoppedReportingSoTheirOrderCanComplete() {
        Fixture f = bytes();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 1_000_000);
        String key = a.order().clientKey();
        String gone = f.agent().startSession(key, "gone", null).id();
        f.agent().startSession(key, "alive", null);
        clock.advanceSeconds(600);
        f.agent().updateSession(key, "alive", new UsageReport(5, 5));
        sessions.terminate(a.order().id());
        clock.advanceSeconds(SessionsSettings.STALE_SESSION_SECONDS - 601);
        sessions.runBilling();
        assertThat(sessions.sessions(a.order().id())).allSatisfy(s -> assertThat(s.stopped()).isZero());

        clock.advanceSeconds(2);
        sessions.runBilling();
        assertThat(sessions.sessions(a.order().id())).as("searched once a minute").allSatisfy(
                s -> assertThat(s.stopped()).isZero());
        clock.advanceSeconds(60);
        sessions.runBilling();
        assertThat(sessions.sessions(a.order().id())).filteredOn(s -> s.stopped() != 0).singleElement()
                .satisfies(s -> assertThat(s.id()).isEqualTo(gone));
        assertThat(connectionEvents).filteredOn(e -> e.command().equals("stop")).singleElement()
                .satisfies(e -> assertThat(e.session()).isEqualTo(gone));
        assertThat(sessions.order(a.order().id()).status()).isEqualTo(ServiceStatus.TERMINATING);

        assertThat(f.agent().stopSession(key, "alive", new UsageReport(6, 6))).isEqualTo(ServiceStatus.TERMINATED);
        // a late report from the adapter taken for gone still counts
        f.agent().updateSession(key, "gone", new UsageReport(100, 0));
        assertThat(sessions.order(a.order().id()).bytesUp()).isEqualTo(106);
    }

    @Test
    void usageIsRecordedEvenWhenTheOrderIsNoLongerActive() {
        Fixture f = bytes();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 10_000);
        String key = a.order().clientKey();
        f.agent().startSession(key, "c1", null);
        sessions.terminate(a.order().id());
        assertThat(f.agent().updateSession(key, "c1", new UsageReport(50, 50))).isEqualTo(ServiceStatus.TERMINATING);
        assertThat(sessions.order(a.order().id()).units()).isEqualTo(100);
    }

    @Test
    void productConfigFlowsIntoLaterAccessMessages() {
        Fixture f = bytes();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 10_000);
        f.agent().setProductConfig(Map.of("port", "1194", "ca", "-----BEGIN-----"));
        ClientApi client = sessions.client(a.order().clientKey(), a.password());
        assertThat(client.getAccess()).containsEntry("additionalParams", Map.of("port", "1194", "ca", "-----BEGIN-----"))
                .containsEntry("password", a.password());
        fails(() -> sessions.client(a.order().clientKey(), "wrong"), Reason.BAD_PASSWORD);
        fails(() -> sessions.client("unknown", "x"), Reason.UNKNOWN_CLIENT);
    }

    @Test
    void accessMessageMustMatchItsTemplate() {
        Fixture f = bytes();
        Template strict = sessions.registerTemplate(TemplateKind.ACCESS, STRICT_ACCESS_SCHEMA);
        ProductCreated p = sessions.createProduct(new NewProduct("strict", f.product().product().offerTemplate(),
                strict.id(), true, "x:1", Map.of()));
        Offering o = sessions.createOffering(new NewOffering(p.product().id(), "o", UnitType.SECONDS, 1, 1, 0, 0, 0,
                0, 10, 0, 0, 0));
        fails(() -> sessions.placeOrder(o.id(), 100), Reason.INVALID_ACCESS_MESSAGE);
        sessions.agent(p.product().id(), p.credential()).setProductConfig(Map.of("port", "x"));
        fails(() -> sessions.placeOrder(o.id(), 100), Reason.INVALID_ACCESS_MESSAGE);
        sessions.agent(p.product().id(), p.credential()).setProductConfig(Map.of("port", "443"));
        assertThat(sessions.placeOrder(o.id(), 100).accessMessage()).containsKey("additionalParams");
        assertThat(sessions.orders(p.product().id(), null)).hasSize(1);
    }

    @Test
    void clientSideSessionsAreRecordedWithoutBilling() {
        Fixture f = bytes();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 10_000);
        ClientApi client = sessions.client(a.order().clientKey(), a.password());
        SessionInfo s = client.startSession("local");
        assertThat(client.startSession("local").id()).isEqualTo(s.id());
        assertThat(client.updateSession("local", new UsageReport(10, 20))).isEqualTo(ServiceStatus.ACTIVATING);
        fails(() -> client.updateSession("local", new UsageReport(5, 20)), Reason.USAGE_DECREASED);
        assertThat(client.stopSession("local", null)).isEqualTo(ServiceStatus.ACTIVATING);
        assertThat(sessions.order(a.order().id()).units()).isZero();
        assertThat(sessions.sessions(a.order().id())).singleElement()
                .satisfies(x -> assertThat(x.side()).isEqualTo("client"));
    }

    // ------------------------------------------------------------ JSON-RPC face: bad JSON

    @Test
    void jsonRpcFaceRefusesWrongJsonTypes() throws Exception {
        Fixture f = bytes();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 10_000);
        String who = "\"product\":\"" + f.product().product().id() + "\",\"credential\":\"" + f.product().credential()
                + "\",\"clientKey\":\"" + a.order().clientKey() + "\"";
        plugin.startSession(params("{" + who + ",\"connection\":\"c1\"}", JSessions.StartParams.class));
        for (String bad : List.of("\"12\"", "1.5", "18446744073709551616", "true", "{}", "-3")) {
            failsWith(() -> plugin.updateSession(unchecked(() -> params("{" + who
                    + ",\"connection\":\"c1\",\"bytesUp\":" + bad + ",\"bytesDown\":1}", JSessions.UsageParams.class))),
                    ErrorCode.INVALID_PARAMETERS);
        }
        assertThat(plugin.updateSession(params("{" + who + ",\"connection\":\"c1\",\"bytesUp\":7,\"bytesDown\":8}",
                JSessions.UsageParams.class)).status()).isEqualTo("active");
        for (String bad : List.of("{\"a\":1}", "{\"a\":null}", "[\"a\"]", "\"a=b\"", "{\"a\":{\"b\":\"c\"}}")) {
            failsWith(() -> plugin.setProductConfig(unchecked(() -> params("{" + who + ",\"config\":" + bad + "}",
                    JSessions.ConfigParams.class))), ErrorCode.INVALID_PARAMETERS);
        }
        assertThat(plugin.setProductConfig(params("{" + who + ",\"config\":{\"a\":\"1\"}}",
                JSessions.ConfigParams.class))).isTrue();
        failsWith(() -> plugin.placeOrder(unchecked(() -> params("{\"offering\":\"" + f.offering().id()
                + "\",\"deposit\":\"100\"}", JSessions.OrderParams.class))), ErrorCode.INVALID_PARAMETERS);
        failsWith(() -> plugin.authClient(unchecked(() -> params("{" + who + ",\"password\":\"x\"}",
                JSessions.AuthParams.class))), ErrorCode.NOT_ALLOWED);
        failsWith(() -> plugin.order(new JSessions.OrderRef("missing")), ErrorCode.UNKNOWN_KEY);
    }

    interface Io<T> {
        T get() throws Exception;
    }

    static <T> T unchecked(Io<T> io) {
        try {
            return io.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------ billing monitor

    @Test
    void depositExhaustedTerminates() {
        Fixture f = bytes();
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 1010);
        String key = a.order().clientKey();
        f.agent().startSession(key, "c1", null);
        sessions.recordPayment(a.order().id(), 2000);
        assertThat(f.agent().updateSession(key, "c1", new UsageReport(500, 499))).isEqualTo(ServiceStatus.ACTIVE);
        assertThat(f.agent().updateSession(key, "c1", new UsageReport(500, 500))).isEqualTo(ServiceStatus.TERMINATING);
        assertThat(f.agent().stopSession(key, "c1", null)).isEqualTo(ServiceStatus.TERMINATED);
        assertThat(sessions.order(a.order().id()).units()).isEqualTo(1000);
    }

    @Test
    void maxUnitsTerminatesInSeconds() {
        Fixture f = fixture(new NewOffering(null, "time", UnitType.SECONDS, 60, 1, 0, 0, 3, 1, 100, 0, 0, 0));
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 1000);
        String key = a.order().clientKey();
        f.agent().startSession(key, "c1", null);
        clock.advanceSeconds(120);
        assertThat(f.agent().updateSession(key, "c1", new UsageReport(1, 1))).isEqualTo(ServiceStatus.ACTIVE);
        assertThat(sessions.order(a.order().id()).units()).isEqualTo(2);
        clock.advanceSeconds(61);
        assertThat(f.agent().updateSession(key, "c1", new UsageReport(1, 1))).isEqualTo(ServiceStatus.TERMINATING);
        assertThat(sessions.order(a.order().id()).seconds()).isEqualTo(181);
    }

    @Test
    void unpaidLagSuspendsAndPaymentResumes() {
        // lag 100 units of 1 byte at price 1; setup 10
        Fixture f = fixture(new NewOffering(null, "lag", UnitType.BYTES, 1, 1, 10, 0, 0, 50, 100, 0, 0, 0));
        PlacedOrder a = sessions.placeOrder(f.offering().id(), 100_000);
        String key = a.order().clientKey();
        f.agent().startSession(key, "c1", null);
        // setup 10 + 90 units = 100 unpaid: within the lag
        assertThat(f.agent().updateSession(key, "c1", new UsageReport(45, 45))).isEqualTo(ServiceStatus.ACTIVE);
        // 111 unpaid: over it
        assertThat(f.agent().updateSession(key, "c1", new UsageReport(50, 51))).isEqualTo(ServiceStatus.SUSPENDING);
        assertThat(f.agent().stopSession(key, "c1", null)).isEqualTo(ServiceStatus.SUSPENDED);
        assertThat(sessions.recordPayment(a.order().id(), 5).status()).isEqualTo(ServiceStatus.SUSPENDED);
        assertThat(sessions.recordPayment(a.order().id(), 6).status()).isEqualTo(ServiceStatus.ACTIVATING);
        f.agent().startSession(key, "c2", null);
        assertThat(sessions.order(a.order().id()).status()).isEqualTo(ServiceStatus.ACTIVE);
        // an operator suspension is not lifted by payments
        sessions.suspend(a.order().id());
        f.agent().stopSession(key, "c2", null);
        sessions.recordPayment(a.order().id(), 1000);
        assertThat(sessions.order(a.order().id()).status()).isEqualTo(ServiceStatus.SUSPENDED);
    }

    @Test
    void inactivityAndLongSuspensionTerminate() {
        Fixture f = fixture(new NewOffering(null, "idle", UnitType.BYTES, 1, 0, 0, 0, 0, 0, 0, 60, 300, 0));
        PlacedOrder idle = sessions.placeOrder(f.offering().id(), 1);
        PlacedOrder busy = sessions.placeOrder(f.offering().id(), 1);
        PlacedOrder parked = sessions.placeOrder(f.offering().id(), 1);
        for (PlacedOrder p : List.of(idle, busy, parked)) {
            f.agent().startSession(p.order().clientKey(), "c-" + p.order().id(), null);
        }
        sessions.suspend(parked.order().id());
        f.agent().stopSession(parked.order().clientKey(), "c-" + parked.order().id(), null);
        clock.advanceSeconds(45);
        f.agent().updateSession(busy.order().clientKey(), "c-" + busy.order().id(), new UsageReport(1, 0));
        clock.advanceSeconds(30);
        assertThat(sessions.runBilling()).isEqualTo(1);
        assertThat(sessions.order(idle.order().id()).status()).isEqualTo(ServiceStatus.TERMINATING);
        assertThat(sessions.order(busy.order().id()).status()).isEqualTo(ServiceStatus.ACTIVE);
        assertThat(sessions.order(parked.order().id()).status()).isEqualTo(ServiceStatus.SUSPENDED);
        clock.advanceSeconds(300);
        sessions.runBilling();
        assertThat(sessions.order(parked.order().id()).status()).isEqualTo(ServiceStatus.TERMINATED);
        assertThat(sessions.order(busy.order().id()).status()).isEqualTo(ServiceStatus.TERMINATING);
        assertThat(statusEvents).anySatisfy(e -> assertThat(e.reason()).isEqualTo("inactive"))
                .anySatisfy(e -> assertThat(e.reason()).isEqualTo("suspended too long"));
    }
}

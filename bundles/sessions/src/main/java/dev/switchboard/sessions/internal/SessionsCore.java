package dev.switchboard.sessions.internal;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.api.config.LogText;
import dev.switchboard.sessions.api.AgentApi;
import dev.switchboard.sessions.api.ClientApi;
import dev.switchboard.sessions.api.ConnectionChange;
import dev.switchboard.sessions.api.NewOffering;
import dev.switchboard.sessions.api.NewProduct;
import dev.switchboard.sessions.api.Offering;
import dev.switchboard.sessions.api.Order;
import dev.switchboard.sessions.api.PlacedOrder;
import dev.switchboard.sessions.api.Product;
import dev.switchboard.sessions.api.ProductCreated;
import dev.switchboard.sessions.api.ServiceStatus;
import dev.switchboard.sessions.api.SessionInfo;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;
import dev.switchboard.sessions.api.StatusChange;
import dev.switchboard.sessions.api.Template;
import dev.switchboard.sessions.api.TemplateKind;
import dev.switchboard.sessions.api.UnitType;
import dev.switchboard.sessions.api.UsageReport;

/** The session service over JDBC; both the OSGi service and the JSON-RPC plugin call it. */
final class SessionsCore implements Sessions {

    static final String AGENT = "agent";
    static final String CLIENT = "client";
    private static final Logger LOG = LoggerFactory.getLogger(SessionsCore.class);
    private static final int MAX_TEXT = 200;
    private static final long CLIENT_CACHE_MS = 10 * 60_000L;
    /**
     * Stale sessions are looked for at most this often: the search reads the whole session table. An index
     * for it would be one more for every report to update, or (on {@code stopped}) one that PostgreSQL,
     * before it has statistics, picks for the billing rules' open-session test, taking minutes.
     */
    private static final long STALE_SEARCH_INTERVAL_MS = 60_000L;
    private static final String ORDER_COLUMNS = "id, offering_id, product_id, client_key, status, status_changed,"
            + " deposit, payments, bytes_up, bytes_down, seconds, last_usage, created, unit_type, unit_size,"
            + " unit_price, setup_price, password_hash";
    private static final String SESSION_COLUMNS = "id, order_id, side, conn_id, client_address, started, stopped,"
            + " last_report, bytes_up, bytes_down";

    private final Database db;
    private final ObjectMapper mapper;
    private final Schemas schemas;
    private final Secrets secrets;
    private final LongSupplier clock;
    private final Events events;
    private final Throttle throttle;
    private final Billing billing;
    private final QuickReports quick;
    private final long staleSessionMs;
    private long nextStaleSearch = Long.MIN_VALUE;
    private final ConcurrentMap<String, String> productCredentials = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, long[]> clientCache = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, String> clientCacheHash = new ConcurrentHashMap<>();

    SessionsCore(Database db, ObjectMapper mapper, Secrets secrets, LongSupplier clock, Events events,
            Throttle throttle, long staleSessionMs) {
        this.db = db;
        this.mapper = mapper;
        this.schemas = new Schemas(mapper);
        this.secrets = secrets;
        this.clock = clock;
        this.events = events;
        this.throttle = throttle;
        this.billing = new Billing(clock);
        this.quick = new QuickReports(billing);
        this.staleSessionMs = staleSessionMs;
    }

    Database database() {
        return db;
    }

    // ---------------------------------------------------------------- plumbing

    /** SQLState of a unique key that another row has (H2 and PostgreSQL alike). */
    private static final String KEY_TAKEN = "23505";

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c, List<Runnable> after) throws SQLException;
    }

    /** Runs {@code work} in one transaction; the events it queued go out after the commit. */
    <T> T tx(Work<T> work) {
        return tx(work, false);
    }

    /**
     * {@link #tx} for a work that inserts a row only when its key is not there yet: should another call insert
     * the same key in between, the work runs once more, finds that row and answers as a repeated call does.
     */
    private <T> T txInsertingOnce(Work<T> work) {
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
    private <T> T onOrder(String clientKey, Work<T> work) {
        return db.serialized(clientKey, () -> tx(work));
    }

    /** {@link #onOrder} for the order {@code orderId}. */
    private <T> T onOrderId(String orderId, Work<T> work) {
        if (db.postgres()) {
            return tx(work);
        }
        String clientKey = tx((c, after) -> orderBy(c, "id", orderId, false, Reason.UNKNOWN_ORDER).order().clientKey());
        return onOrder(clientKey, work);
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

    private static SessionsException bad(String detail) {
        return new SessionsException(Reason.INVALID_PARAMETERS, detail);
    }

    private static String text(String value, String name, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw bad(name + " is required");
            }
            return null;
        }
        if (value.length() > MAX_TEXT) {
            throw bad(name + " is longer than " + MAX_TEXT + " characters");
        }
        return value;
    }

    private static long nonNegative(long value, String name) {
        if (value < 0) {
            throw bad(name + " must not be negative");
        }
        return value;
    }

    static Map<String, String> checkConfig(Map<String, String> config) {
        if (config == null) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) config).entrySet()) {
            if (!(e.getKey() instanceof String key) || key.isEmpty() || !(e.getValue() instanceof String value)) {
                throw bad("the product configuration must map names to strings");
            }
            copy.put(key, value);
        }
        return copy;
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> configOf(String json) {
        try {
            return mapper.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    // ---------------------------------------------------------------- templates, products, offerings

    @Override
    public Template registerTemplate(TemplateKind kind, String schemaJson) {
        if (kind == null) {
            throw bad("kind is required (OFFER or ACCESS)");
        }
        String compact = schemas.compact(schemaJson);
        String id = Schemas.id(compact);
        return txInsertingOnce((c, after) -> {
            try (PreparedStatement s = c.prepareStatement("SELECT kind FROM sb_template WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        if (!r.getString(1).equals(kind.name())) {
                            throw bad("this schema is already registered as an " + r.getString(1) + " template");
                        }
                        return new Template(id, kind, compact);
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO sb_template (id, kind, schema_json, created) VALUES (?, ?, ?, ?)")) {
                s.setString(1, id);
                s.setString(2, kind.name());
                s.setString(3, compact);
                s.setLong(4, clock.getAsLong());
                s.executeUpdate();
            }
            return new Template(id, kind, compact);
        });
    }

    private String[] template(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT kind, schema_json FROM sb_template WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SessionsException(Reason.UNKNOWN_TEMPLATE, "no template " + id);
                }
                return new String[] {r.getString(1), r.getString(2)};
            }
        }
    }

    @Override
    public ProductCreated createProduct(NewProduct p) {
        if (p == null) {
            throw bad("product is required");
        }
        String name = text(p.name(), "name", true);
        String offer = text(p.offerTemplate(), "offerTemplate", true);
        String access = text(p.accessTemplate(), "accessTemplate", true);
        String endpoint = p.serviceEndpoint() == null ? "" : p.serviceEndpoint();
        if (endpoint.length() > 1000) {
            throw bad("serviceEndpoint is too long");
        }
        Map<String, String> config = checkConfig(p.config());
        String credential = secrets.randomToken(32);
        String id = uuid();
        return tx((c, after) -> {
            if (!template(c, offer)[0].equals(TemplateKind.OFFER.name())) {
                throw bad("offerTemplate is not an OFFER template");
            }
            if (!template(c, access)[0].equals(TemplateKind.ACCESS.name())) {
                throw bad("accessTemplate is not an ACCESS template");
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO sb_product (id, name, offer_template,"
                    + " access_template, agent, usage_rep, credential_hash, service_endpoint, config, created)"
                    + " VALUES (?, ?, ?, ?, ?, 'total', ?, ?, ?, ?)")) {
                s.setString(1, id);
                s.setString(2, name);
                s.setString(3, offer);
                s.setString(4, access);
                s.setBoolean(5, p.agent());
                s.setString(6, Secrets.sha256(credential));
                s.setString(7, endpoint);
                s.setString(8, json(config));
                s.setLong(9, clock.getAsLong());
                s.executeUpdate();
            }
            return new ProductCreated(new Product(id, name, offer, access, p.agent(), "total", endpoint, config),
                    credential);
        });
    }

    @Override
    public Product product(String id) {
        return tx((c, after) -> product(c, text(id, "product", true)));
    }

    private Product product(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, name, offer_template, access_template, agent,"
                + " usage_rep, service_endpoint, config FROM sb_product WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SessionsException(Reason.UNKNOWN_PRODUCT, "no product " + id);
                }
                return new Product(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getBoolean(5),
                        r.getString(6), r.getString(7), configOf(r.getString(8)));
            }
        }
    }

    @Override
    public Offering createOffering(NewOffering o) {
        if (o == null) {
            throw bad("offering is required");
        }
        String productId = text(o.product(), "product", true);
        String name = text(o.name(), "name", true);
        if (o.unitType() == null) {
            throw bad("unitType is required (BYTES or SECONDS)");
        }
        if (o.unitSize() < 1) {
            throw bad("unitSize must be at least 1");
        }
        nonNegative(o.unitPrice(), "unitPrice");
        nonNegative(o.setupPrice(), "setupPrice");
        nonNegative(o.minUnits(), "minUnits");
        nonNegative(o.maxUnits(), "maxUnits");
        nonNegative(o.billingInterval(), "billingInterval");
        nonNegative(o.maxBillingUnitLag(), "maxBillingUnitLag");
        nonNegative(o.maxInactiveSeconds(), "maxInactiveSeconds");
        nonNegative(o.maxSuspendedSeconds(), "maxSuspendedSeconds");
        nonNegative(o.supply(), "supply");
        if (o.maxUnits() > 0 && o.minUnits() > o.maxUnits()) {
            throw bad("minUnits is above maxUnits");
        }
        String id = uuid();
        Offering offering = new Offering(id, productId, name, o.unitType(), o.unitSize(), o.unitPrice(),
                o.setupPrice(), o.minUnits(), o.maxUnits(), o.billingInterval(), o.maxBillingUnitLag(),
                o.maxInactiveSeconds(), o.maxSuspendedSeconds(), o.supply());
        return tx((c, after) -> {
            Product product = product(c, productId);
            String[] template = template(c, product.offerTemplate());
            Map<String, Object> message = new LinkedHashMap<>(mapper.convertValue(offering,
                    new TypeReference<LinkedHashMap<String, Object>>() {
                    }));
            message.put("templateHash", product.offerTemplate());
            schemas.validate(product.offerTemplate(), template[1], mapper.valueToTree(message),
                    Reason.INVALID_PARAMETERS);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO sb_offering (id, product_id, name, unit_type,"
                    + " unit_size, unit_price, setup_price, min_units, max_units, billing_interval, max_billing_lag,"
                    + " max_inactive_sec, max_suspended_sec, supply, created)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, id);
                s.setString(2, productId);
                s.setString(3, name);
                s.setString(4, o.unitType().name());
                s.setLong(5, o.unitSize());
                s.setLong(6, o.unitPrice());
                s.setLong(7, o.setupPrice());
                s.setLong(8, o.minUnits());
                s.setLong(9, o.maxUnits());
                s.setLong(10, o.billingInterval());
                s.setLong(11, o.maxBillingUnitLag());
                s.setLong(12, o.maxInactiveSeconds());
                s.setLong(13, o.maxSuspendedSeconds());
                s.setInt(14, o.supply());
                s.setLong(15, clock.getAsLong());
                s.executeUpdate();
            }
            return offering;
        });
    }

    private Offering offering(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, product_id, name, unit_type, unit_size, unit_price,"
                + " setup_price, min_units, max_units, billing_interval, max_billing_lag, max_inactive_sec,"
                + " max_suspended_sec, supply FROM sb_offering WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    throw new SessionsException(Reason.UNKNOWN_OFFERING, "no offering " + id);
                }
                return new Offering(r.getString(1), r.getString(2), r.getString(3), UnitType.valueOf(r.getString(4)),
                        r.getLong(5), r.getLong(6), r.getLong(7), r.getLong(8), r.getLong(9), r.getLong(10),
                        r.getLong(11), r.getLong(12), r.getLong(13), r.getInt(14));
            }
        }
    }

    // ---------------------------------------------------------------- orders

    /** An order row with what the core needs beyond {@link Order}. */
    record Row(Order order, String passwordHash) {
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

    private Row orderBy(Connection c, String column, String value, boolean lock, Reason missing)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + ORDER_COLUMNS + " FROM sb_order WHERE " + column
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

    @Override
    public PlacedOrder placeOrder(String offeringId, long deposit) {
        String id = text(offeringId, "offering", true);
        nonNegative(deposit, "deposit");
        String clientKey = secrets.randomToken(12);
        String password = secrets.randomToken(20);
        String hash = secrets.hashPassword(password);
        return tx((c, after) -> {
            Offering f = offering(c, id);
            BigInteger minimum = BigInteger.valueOf(f.minUnits()).multiply(BigInteger.valueOf(f.unitPrice()))
                    .add(BigInteger.valueOf(f.setupPrice()));
            if (BigInteger.valueOf(deposit).compareTo(minimum) < 0) {
                throw bad("the deposit must cover the setup price and minUnits: at least " + minimum);
            }
            if (f.supply() > 0) {
                // orders placed at once on this offering count one after another, so none exceeds the supply
                try (PreparedStatement s = c.prepareStatement("SELECT id FROM sb_offering WHERE id = ? FOR UPDATE")) {
                    s.setString(1, id);
                    s.executeQuery().close();
                }
                try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM sb_order"
                        + " WHERE offering_id = ? AND status <> 'terminated'")) {
                    s.setString(1, id);
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        if (r.getLong(1) >= f.supply()) {
                            throw new SessionsException(Reason.SUPPLY_EXHAUSTED, "the offering's supply is used up");
                        }
                    }
                }
            }
            Product product = product(c, f.product());
            Map<String, Object> access = accessMessage(c, product, clientKey, password);
            String orderId = uuid();
            long now = clock.getAsLong();
            try (PreparedStatement s = c.prepareStatement("INSERT INTO sb_order (id, offering_id, product_id,"
                    + " client_key, password_hash, status, prev_status, status_changed, status_reason, unit_type,"
                    + " unit_size, unit_price, setup_price, max_units, max_billing_lag, max_inactive_sec,"
                    + " max_suspended_sec, deposit, payments, bytes_up, bytes_down, seconds, last_usage, created)"
                    + " VALUES (?, ?, ?, ?, ?, 'activating', 'pending', ?, 'placed', ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " 0, 0, 0, 0, ?, ?)")) {
                int i = 1;
                s.setString(i++, orderId);
                s.setString(i++, id);
                s.setString(i++, product.id());
                s.setString(i++, clientKey);
                s.setString(i++, hash);
                s.setLong(i++, now);
                s.setString(i++, f.unitType().name());
                s.setLong(i++, f.unitSize());
                s.setLong(i++, f.unitPrice());
                s.setLong(i++, f.setupPrice());
                s.setLong(i++, f.maxUnits());
                s.setLong(i++, f.maxBillingUnitLag());
                s.setLong(i++, f.maxInactiveSeconds());
                s.setLong(i++, f.maxSuspendedSeconds());
                s.setLong(i++, deposit);
                s.setLong(i++, now);
                s.setLong(i++, now);
                s.executeUpdate();
            }
            after.add(() -> events.status(new StatusChange(orderId, product.id(), clientKey, ServiceStatus.PENDING,
                    ServiceStatus.ACTIVATING, "placed")));
            Order order = orderBy(c, "id", orderId, false, Reason.UNKNOWN_ORDER).order();
            return new PlacedOrder(order, password, access);
        });
    }

    @Override
    public Order importAccess(String productId, Map<String, Object> accessMessage) {
        String id = text(productId, "product", true);
        if (accessMessage == null) {
            throw bad("accessMessage is required");
        }
        String clientKey = text(accessMessage.get("username") instanceof String s ? s : null,
                "accessMessage.username", true);
        if (!(accessMessage.get("password") instanceof String password) || password.isEmpty()) {
            throw bad("accessMessage.password is required");
        }
        String stored;
        try {
            stored = mapper.writeValueAsString(accessMessage);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw bad("accessMessage cannot be stored: " + e.getOriginalMessage());
        }
        String hash = secrets.hashPassword(password);
        return db.serialized(clientKey, () -> txInsertingOnce((c, after) -> {
            Product product = product(c, id);
            if (product.agent()) {
                throw bad("access messages are imported into a client-side product (agent = false)");
            }
            if (!product.accessTemplate().equals(accessMessage.get("templateHash"))) {
                throw new SessionsException(Reason.INVALID_ACCESS_MESSAGE,
                        "templateHash is not the access template of product " + id);
            }
            String[] template = template(c, product.accessTemplate());
            schemas.validate(product.accessTemplate(), template[1], mapper.valueToTree(accessMessage),
                    Reason.INVALID_ACCESS_MESSAGE);
            String orderId = importedOrder(c, product, clientKey);
            long now = clock.getAsLong();
            if (orderId != null) {
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE sb_order SET password_hash = ?, access_message = ? WHERE id = ?")) {
                    s.setString(1, hash);
                    s.setString(2, stored);
                    s.setString(3, orderId);
                    s.executeUpdate();
                }
                clientCache.remove(clientKey);
                return orderBy(c, "id", orderId, false, Reason.UNKNOWN_ORDER).order();
            }
            String newId = uuid();
            // no offering, no price, no deposit: the billing rules leave it alone
            try (PreparedStatement s = c.prepareStatement("INSERT INTO sb_order (id, product_id, client_key,"
                    + " password_hash, status, prev_status, status_changed, status_reason, unit_type, unit_size,"
                    + " unit_price, setup_price, max_units, max_billing_lag, max_inactive_sec, max_suspended_sec,"
                    + " deposit, payments, bytes_up, bytes_down, seconds, last_usage, created, access_message)"
                    + " VALUES (?, ?, ?, ?, 'active', 'pending', ?, 'imported', 'BYTES', 1, 0, 0, 0, 0, 0, 0,"
                    + " 0, 0, 0, 0, 0, ?, ?, ?)")) {
                int i = 1;
                s.setString(i++, newId);
                s.setString(i++, product.id());
                s.setString(i++, clientKey);
                s.setString(i++, hash);
                s.setLong(i++, now);
                s.setLong(i++, now);
                s.setLong(i++, now);
                s.setString(i++, stored);
                s.executeUpdate();
            }
            after.add(() -> events.status(new StatusChange(newId, product.id(), clientKey, ServiceStatus.PENDING,
                    ServiceStatus.ACTIVE, "imported")));
            return orderBy(c, "id", newId, false, Reason.UNKNOWN_ORDER).order();
        }));
    }

    /** The order imported earlier for {@code clientKey} into {@code product}, or {@code null} if none. */
    private static String importedOrder(Connection c, Product product, String clientKey) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, product_id, access_message FROM sb_order WHERE client_key = ?")) {
            s.setString(1, clientKey);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                if (!product.id().equals(r.getString(2)) || r.getString(3) == null) {
                    throw bad("client key " + clientKey + " already belongs to another order on this node");
                }
                return r.getString(1);
            }
        }
    }

    /** Builds the access message from the product's current configuration and validates it. */
    private Map<String, Object> accessMessage(Connection c, Product product, String clientKey, String password)
            throws SQLException {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("templateHash", product.accessTemplate());
        message.put("username", clientKey);
        message.put("password", password);
        message.put("product", product.id());
        message.put("serviceEndpointAddress", product.serviceEndpoint());
        message.put("additionalParams", product.config());
        String[] template = template(c, product.accessTemplate());
        schemas.validate(product.accessTemplate(), template[1], mapper.valueToTree(message),
                Reason.INVALID_ACCESS_MESSAGE);
        return message;
    }

    @Override
    public Order recordPayment(String orderId, long amount) {
        String id = text(orderId, "order", true);
        if (amount <= 0) {
            throw bad("amount must be positive");
        }
        onOrderId(id, (c, after) -> {
            Row row = orderBy(c, "id", id, true, Reason.UNKNOWN_ORDER);
            try {
                Math.addExact(row.order().paymentsReceived(), amount);
            } catch (ArithmeticException e) {
                throw bad("payments would overflow");
            }
            // added, not set: see record()
            try (PreparedStatement s = c.prepareStatement("UPDATE sb_order SET payments = payments + ? WHERE id = ?")) {
                s.setLong(1, amount);
                s.setString(2, id);
                s.executeUpdate();
            }
            bill(c, after, id, row.order().status());
            return null;
        });
        return order(id);
    }

    @Override
    public Order suspend(String orderId) {
        return operatorTransition(orderId, ServiceStatus.SUSPENDING, "operator");
    }

    @Override
    public Order resume(String orderId) {
        return operatorTransition(orderId, ServiceStatus.ACTIVATING, "operator");
    }

    @Override
    public Order terminate(String orderId) {
        return operatorTransition(orderId, ServiceStatus.TERMINATING, "operator");
    }

    private Order operatorTransition(String orderId, ServiceStatus to, String reason) {
        String id = text(orderId, "order", true);
        onOrderId(id, (c, after) -> {
            Row row = orderBy(c, "id", id, true, Reason.UNKNOWN_ORDER);
            transition(c, after, row.order(), to, reason);
            completeIfIdle(c, after, row.order().id());
            return null;
        });
        return order(id);
    }

    /** Moves an order (locked by the caller) to {@code to}; an illegal transition changes nothing. */
    private void transition(Connection c, List<Runnable> after, Order order, ServiceStatus to, String reason)
            throws SQLException {
        ServiceStatus from = order.status();
        if (!from.canBecome(to)) {
            throw new SessionsException(Reason.ILLEGAL_TRANSITION, from.wire() + " cannot become " + to.wire());
        }
        long now = clock.getAsLong();
        String sql = "UPDATE sb_order SET prev_status = status, status = ?, status_changed = ?, status_reason = ?"
                + (to == ServiceStatus.SUSPENDING ? ", suspend_cause = ?" : "")
                + (to == ServiceStatus.ACTIVE ? ", last_usage = ?" : "")
                + (to == ServiceStatus.ACTIVATING ? ", suspend_cause = NULL" : "")
                + " WHERE id = ? AND status = ?";
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
        after.add(() -> events.status(new StatusChange(order.id(), order.product(), order.clientKey(), from, to,
                reason)));
    }

    /** Completes a suspending or terminating order without open sessions; answers its status after. */
    private ServiceStatus completeIfIdle(Connection c, List<Runnable> after, String orderId) throws SQLException {
        Order order = orderBy(c, "id", orderId, true, Reason.UNKNOWN_ORDER).order();
        ServiceStatus next = order.status() == ServiceStatus.SUSPENDING ? ServiceStatus.SUSPENDED
                : order.status() == ServiceStatus.TERMINATING ? ServiceStatus.TERMINATED : null;
        if (next != null && openSessions(c, orderId, AGENT) == 0) {
            transition(c, after, order, next, "no open session");
            return next;
        }
        return order.status();
    }

    private static int openSessions(Connection c, String orderId, String side) throws SQLException {
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

    @Override
    public Order order(String id) {
        String orderId = text(id, "order", true);
        return tx((c, after) -> orderBy(c, "id", orderId, false, Reason.UNKNOWN_ORDER).order());
    }

    @Override
    public List<Order> orders(String product, ServiceStatus status) {
        return tx((c, after) -> {
            StringBuilder sql = new StringBuilder("SELECT " + ORDER_COLUMNS + " FROM sb_order WHERE 1 = 1");
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
        });
    }

    @Override
    public List<SessionInfo> sessions(String orderId) {
        String id = text(orderId, "order", true);
        return tx((c, after) -> {
            orderBy(c, "id", id, false, Reason.UNKNOWN_ORDER);
            try (PreparedStatement s = c.prepareStatement("SELECT " + SESSION_COLUMNS
                    + " FROM sb_session WHERE order_id = ? ORDER BY started, id")) {
                s.setString(1, id);
                List<SessionInfo> result = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        result.add(session(r));
                    }
                }
                return result;
            }
        });
    }

    private static SessionInfo session(ResultSet r) throws SQLException {
        long started = r.getLong(6);
        long stopped = r.getLong(7);
        long end = stopped != 0 ? stopped : r.getLong(8);
        return new SessionInfo(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5),
                started, stopped, r.getLong(9), r.getLong(10), Math.max(0, (end - started) / 1000));
    }

    @Override
    public int runBilling() {
        closeStaleSessions();
        int changed = 0;
        for (Billing.Rule rule : Billing.RULES) {
            // one transaction per rule keeps a pass over every order in small transactions
            List<StatusChange> changes = db.exclusive(() -> tx((c, after) -> billing.apply(c, rule, null)));
            changes.forEach(events::status);
            changed += changes.size();
        }
        return changed;
    }

    /**
     * Closes agent sessions without a report for {@code staleSessionMs} (an adapter killed or cut off never
     * stops them), so that their orders can complete suspending or terminating; 0 = never.
     */
    private void closeStaleSessions() {
        long now = clock.getAsLong();
        synchronized (this) {
            if (staleSessionMs <= 0 || now < nextStaleSearch) {
                return;
            }
            nextStaleSearch = now + STALE_SEARCH_INTERVAL_MS;
        }
        List<ConnectionChange> closed = db.exclusive(() -> tx((c, after) -> billing.closeStale(c,
                now - staleSessionMs)));
        if (!closed.isEmpty()) {
            LOG.info("Closed {} agent sessions without a usage report for {} s: their adapter is gone",
                    closed.size(), staleSessionMs / 1000);
        }
        closed.forEach(events::connection);
    }

    /**
     * Applies the billing rules to one order in the caller's transaction, which holds the order's row
     * lock, so that a report and the decision on it commit together; answers the status after them.
     */
    private ServiceStatus bill(Connection c, List<Runnable> after, String orderId, ServiceStatus status)
            throws SQLException {
        if (!billing.anyDue(c, orderId)) {
            return status;
        }
        ServiceStatus now = status;
        for (Billing.Rule rule : Billing.RULES) {
            for (StatusChange change : billing.apply(c, rule, orderId)) {
                after.add(() -> events.status(change));
                now = change.to();
            }
        }
        return now;
    }

    // ---------------------------------------------------------------- agent side

    @Override
    public AgentApi agent(String productId, String credential) {
        String id = text(productId, "product", true);
        if (credential == null || credential.isEmpty()) {
            throw new SessionsException(Reason.BAD_CREDENTIAL, "a product credential is required");
        }
        String stored = productCredentials.get(id);
        if (stored == null) {
            stored = tx((c, after) -> {
                try (PreparedStatement s = c.prepareStatement("SELECT credential_hash FROM sb_product WHERE id = ?")) {
                    s.setString(1, id);
                    try (ResultSet r = s.executeQuery()) {
                        if (!r.next()) {
                            throw new SessionsException(Reason.UNKNOWN_PRODUCT, "no product " + id);
                        }
                        return r.getString(1);
                    }
                }
            });
            productCredentials.put(id, stored);
        }
        if (!Secrets.sameHash(stored, Secrets.sha256(credential))) {
            throw new SessionsException(Reason.BAD_CREDENTIAL, "wrong product credential");
        }
        return new Agent(id);
    }

    /** The adapter face of one product. */
    final class Agent implements AgentApi {

        private final String product;

        Agent(String product) {
            this.product = product;
        }

        @Override
        public String product() {
            return product;
        }

        private Row mine(Connection c, String clientKey, boolean lock) throws SQLException {
            Row row = orderBy(c, "client_key", text(clientKey, "clientKey", true), lock, Reason.UNKNOWN_CLIENT);
            if (!row.order().product().equals(product)) {
                throw new SessionsException(Reason.OTHER_PRODUCT, "the client key belongs to another product");
            }
            return row;
        }

        @Override
        public void authClient(String clientKey, String password) {
            String key = text(clientKey, "clientKey", true);
            long wait = throttle.wait(key);
            if (wait > 0) {
                throw new SessionsException(Reason.TOO_MANY_FAILURES, "too many failures; retry in " + wait + " ms");
            }
            Row row = tx((c, after) -> mine(c, key, false));
            if (!Secrets.verifyPassword(password, row.passwordHash())) {
                throttle.failed(key);
                throw new SessionsException(Reason.BAD_PASSWORD, "wrong password");
            }
            throttle.succeeded(key);
            ServiceStatus status = row.order().status();
            if (status != ServiceStatus.ACTIVE && status != ServiceStatus.ACTIVATING) {
                throw new SessionsException(Reason.NOT_ACTIVE, "the service is " + status.wire());
            }
        }

        @Override
        public void setProductConfig(Map<String, String> config) {
            if (config == null) {
                throw bad("config is required");
            }
            Map<String, String> checked = checkConfig(config);
            tx((c, after) -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE sb_product SET config = ? WHERE id = ?")) {
                    s.setString(1, json(checked));
                    s.setString(2, product);
                    if (s.executeUpdate() != 1) {
                        throw new SessionsException(Reason.UNKNOWN_PRODUCT, "no product " + product);
                    }
                }
                return null;
            });
        }

        @Override
        public SessionInfo startSession(String clientKey, String connection, String clientAddress) {
            String conn = text(connection, "connection", true);
            String address = text(clientAddress, "clientAddress", false);
            return onOrder(clientKey, (c, after) -> {
                Row row = mine(c, clientKey, true);
                Order order = row.order();
                if (order.status() != ServiceStatus.ACTIVE && order.status() != ServiceStatus.ACTIVATING) {
                    throw new SessionsException(Reason.NOT_ACTIVE, "the service is " + order.status().wire());
                }
                SessionInfo existing = null;
                try (PreparedStatement s = c.prepareStatement("SELECT s.id, s.order_id, s.side, s.conn_id,"
                        + " s.client_address, s.started, s.stopped, s.last_report, s.bytes_up, s.bytes_down"
                        + " FROM sb_session s JOIN sb_order o ON o.id = s.order_id"
                        + " WHERE s.conn_id = ? AND s.stopped = 0 AND s.side = 'agent' AND o.product_id = ?")) {
                    s.setString(1, conn);
                    s.setString(2, product);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            SessionInfo open = session(r);
                            if (open.order().equals(order.id()) && existing == null) {
                                existing = open;
                            } else {
                                close(c, after, open, "stale");
                            }
                        }
                    }
                }
                if (order.status() == ServiceStatus.ACTIVATING) {
                    transition(c, after, order, ServiceStatus.ACTIVE, "session started");
                }
                if (existing != null) {
                    return existing;
                }
                SessionInfo opened = open(c, after, order, AGENT, conn, address);
                after.add(() -> quick.remember(product, clientKey, conn, new QuickReports.Known(order.id(),
                        opened.id(), opened.started(), opened.started(), 0, 0)));
                return opened;
            });
        }

        @Override
        public ServiceStatus updateSession(String clientKey, String connection, UsageReport totals) {
            String conn = text(connection, "connection", true);
            checkTotals(totals);
            return db.serialized(clientKey, () -> {
                QuickReports.Known known = quick.known(product, clientKey, conn);
                ServiceStatus status = known == null ? null : reportQuickly(clientKey, conn, known, totals);
                if (status != null) {
                    return status;
                }
                return tx((c, after) -> {
                    Row row = mine(c, clientKey, true);
                    QuickReports.Known session = record(c, row.order(), AGENT, conn, totals, false, after);
                    if (session != null) {
                        after.add(() -> quick.remember(product, clientKey, conn, session));
                    }
                    return bill(c, after, row.order().id(), row.order().status());
                });
            });
        }

        /**
         * The report on a session this host recorded last (see {@link QuickReports}), or null, with nothing
         * changed, for the full path to decide. A billing rule it makes due is applied right after it.
         */
        private ServiceStatus reportQuickly(String clientKey, String conn, QuickReports.Known known,
                UsageReport totals) {
            QuickReports.Outcome outcome;
            if (db.postgres()) {
                try (Connection c = db.connection()) {
                    outcome = quick.report(c, true, product, known, totals, clock.getAsLong());
                } catch (SQLException e) {
                    throw failure(e);
                }
            } else {
                outcome = tx((c, after) -> {
                    QuickReports.Outcome done = quick.report(c, false, product, known, totals, clock.getAsLong());
                    if (done == null) {
                        c.rollback();
                    }
                    return done;
                });
            }
            if (outcome == null) {
                return null;
            }
            quick.remember(product, clientKey, conn, outcome.session());
            return outcome.due() ? tx((c, after) -> bill(c, after, known.orderId(), outcome.status()))
                    : outcome.status();
        }

        @Override
        public ServiceStatus stopSession(String clientKey, String connection, UsageReport finalTotals) {
            String conn = text(connection, "connection", true);
            if (finalTotals != null) {
                checkTotals(finalTotals);
            }
            quick.forget(product, clientKey, conn);
            return onOrder(clientKey, (c, after) -> {
                Row row = mine(c, clientKey, true);
                record(c, row.order(), AGENT, conn, finalTotals, true, after);
                ServiceStatus status = completeIfIdle(c, after, row.order().id());
                return bill(c, after, row.order().id(), status);
            });
        }
    }

    private static void checkTotals(UsageReport totals) {
        if (totals == null) {
            throw bad("usage totals are required");
        }
        if (totals.bytesUp() < 0 || totals.bytesDown() < 0) {
            throw bad("usage totals must not be negative");
        }
    }

    private SessionInfo open(Connection c, List<Runnable> after, Order order, String side, String conn,
            String address) throws SQLException {
        long now = clock.getAsLong();
        String id = uuid();
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
            after.add(() -> events.connection(new ConnectionChange(order.id(), order.product(), id, conn, "start")));
        }
        return new SessionInfo(id, order.id(), side, conn, address, now, 0, 0, 0, 0);
    }

    /** Closes an open session, adding its last seconds to its order. */
    private void close(Connection c, List<Runnable> after, SessionInfo open, String why) throws SQLException {
        long now = clock.getAsLong();
        long oldSeconds = open.seconds();
        long newSeconds = Math.max(0, (now - open.started()) / 1000);
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE sb_session SET stopped = ?, last_report = ? WHERE id = ? AND stopped = 0")) {
            s.setLong(1, now);
            s.setLong(2, now);
            s.setString(3, open.id());
            s.executeUpdate();
        }
        if (AGENT.equals(open.side())) {
            try (PreparedStatement s = c.prepareStatement("UPDATE sb_order SET seconds = seconds + ? WHERE id = ?")) {
                s.setLong(1, Math.max(0, newSeconds - oldSeconds));
                s.setString(2, open.order());
                s.executeUpdate();
            }
            String product = orderBy(c, "id", open.order(), false, Reason.UNKNOWN_ORDER).order().product();
            after.add(() -> events.connection(new ConnectionChange(open.order(), product, open.id(),
                    open.connection(), "stop")));
        }
        LOG.debug("Session {} closed ({})", open.id(), why);
    }

    /**
     * Persists cumulative totals of the latest session of {@code conn} (and closes it when
     * {@code stop}): a repeated report adds nothing, a lower total fails and changes nothing. Answers the
     * session as recorded while it stays open, else null.
     */
    private QuickReports.Known record(Connection c, Order order, String side, String conn, UsageReport totals,
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
                throw bad("usage totals overflow");
            }
            // added, not set: a total is never computed from a row read earlier in the transaction
            try (PreparedStatement s = c.prepareStatement("UPDATE sb_order SET bytes_up = bytes_up + ?,"
                    + " bytes_down = bytes_down + ?, seconds = seconds + ?,"
                    + " last_usage = CASE WHEN ? > 0 THEN ? ELSE last_usage END WHERE id = ?")) {
                s.setLong(1, dUp);
                s.setLong(2, dDown);
                s.setLong(3, dSeconds);
                s.setLong(4, dUp + dDown);
                s.setLong(5, now);
                s.setString(6, order.id());
                s.executeUpdate();
            }
        }
        if (stop && open) {
            close(c, after, new SessionInfo(session.id(), session.order(), session.side(), session.connection(),
                    session.clientAddress(), session.started(), 0, up, down, session.seconds() + dSeconds), "stopped");
        }
        return open && !stop ? new QuickReports.Known(order.id(), session.id(), session.started(), reportTime, up,
                down) : null;
    }

    // ---------------------------------------------------------------- client side

    @Override
    public ClientApi client(String clientKey, String password) {
        String key = text(clientKey, "clientKey", true);
        if (password == null || password.isEmpty()) {
            throw new SessionsException(Reason.BAD_PASSWORD, "a password is required");
        }
        long now = clock.getAsLong();
        long[] cached = clientCache.get(key);
        String passwordSha = Secrets.sha256(password);
        if (cached != null && cached[0] > now && Secrets.sameHash(clientCacheHash.get(key), passwordSha)) {
            return new Client(key, password);
        }
        long wait = throttle.wait(key);
        if (wait > 0) {
            throw new SessionsException(Reason.TOO_MANY_FAILURES, "too many failures; retry in " + wait + " ms");
        }
        Row row = tx((c, after) -> orderBy(c, "client_key", key, false, Reason.UNKNOWN_CLIENT));
        if (!Secrets.verifyPassword(password, row.passwordHash())) {
            throttle.failed(key);
            throw new SessionsException(Reason.BAD_PASSWORD, "wrong password");
        }
        throttle.succeeded(key);
        if (clientCache.size() > 100_000) {
            clientCache.clear();
            clientCacheHash.clear();
        }
        clientCacheHash.put(key, passwordSha);
        clientCache.put(key, new long[] {now + CLIENT_CACHE_MS});
        return new Client(key, password);
    }

    private static String importedMessage(Connection c, String orderId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT access_message FROM sb_order WHERE id = ?")) {
            s.setString(1, orderId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        }
    }

    private Map<String, Object> readMessage(String json) {
        try {
            return mapper.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stored access message is not JSON", e);
        }
    }

    /** The client adapter's face of one order. */
    final class Client implements ClientApi {

        private final String clientKey;
        private final String password;

        Client(String clientKey, String password) {
            this.clientKey = clientKey;
            this.password = password;
        }

        @Override
        public String clientKey() {
            return clientKey;
        }

        @Override
        public Map<String, Object> getAccess() {
            return tx((c, after) -> {
                Order order = orderBy(c, "client_key", clientKey, false, Reason.UNKNOWN_CLIENT).order();
                String imported = importedMessage(c, order.id());
                return imported != null ? readMessage(imported)
                        : accessMessage(c, product(c, order.product()), clientKey, password);
            });
        }

        @Override
        public SessionInfo startSession(String connection) {
            String conn = text(connection, "connection", true);
            return onOrder(clientKey, (c, after) -> {
                Order order = orderBy(c, "client_key", clientKey, true, Reason.UNKNOWN_CLIENT).order();
                if (order.status() == ServiceStatus.TERMINATED) {
                    throw new SessionsException(Reason.NOT_ACTIVE, "the service is terminated");
                }
                try (PreparedStatement s = c.prepareStatement("SELECT " + SESSION_COLUMNS + " FROM sb_session"
                        + " WHERE order_id = ? AND side = 'client' AND conn_id = ? AND stopped = 0")) {
                    s.setString(1, order.id());
                    s.setString(2, conn);
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            return session(r);
                        }
                    }
                }
                return open(c, after, order, CLIENT, conn, null);
            });
        }

        @Override
        public ServiceStatus updateSession(String connection, UsageReport totals) {
            String conn = text(connection, "connection", true);
            checkTotals(totals);
            return onOrder(clientKey, (c, after) -> {
                Order order = orderBy(c, "client_key", clientKey, true, Reason.UNKNOWN_CLIENT).order();
                record(c, order, CLIENT, conn, totals, false, after);
                return order.status();
            });
        }

        @Override
        public ServiceStatus stopSession(String connection, UsageReport finalTotals) {
            String conn = text(connection, "connection", true);
            if (finalTotals != null) {
                checkTotals(finalTotals);
            }
            return onOrder(clientKey, (c, after) -> {
                Order order = orderBy(c, "client_key", clientKey, true, Reason.UNKNOWN_CLIENT).order();
                record(c, order, CLIENT, conn, finalTotals, true, after);
                return order.status();
            });
        }
    }
}

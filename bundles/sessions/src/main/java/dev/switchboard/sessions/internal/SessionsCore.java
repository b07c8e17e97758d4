package dev.switchboard.sessions.internal;

import static dev.switchboard.sessions.internal.Inputs.bad;
import static dev.switchboard.sessions.internal.Inputs.nonNegative;
import static dev.switchboard.sessions.internal.Inputs.required;
import static dev.switchboard.sessions.internal.Inputs.text;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import dev.switchboard.sessions.internal.store.Billing;
import dev.switchboard.sessions.internal.store.CatalogRows;
import dev.switchboard.sessions.internal.store.Dialect;
import dev.switchboard.sessions.internal.store.OrderRows;
import dev.switchboard.sessions.internal.store.OrderRows.Row;
import dev.switchboard.sessions.internal.store.UsageLedger;

/**
 * The Service API's use cases: what the operator, the agent face ({@link AgentFace}) and the client face
 * ({@link ClientFace}) do, each in a transaction over the rows of the {@code store}.
 */
final class SessionsCore implements Sessions {

    private static final Logger LOG = LoggerFactory.getLogger(SessionsCore.class);
    /**
     * Stale sessions are looked for at most this often: the search reads the whole session table. An index
     * for it would be one more for every report to update, or (on {@code stopped}) one that PostgreSQL,
     * before it has statistics, picks for the billing rules' open-session test, taking minutes.
     */
    private static final long STALE_SEARCH_INTERVAL_MS = 60_000L;

    private final ObjectMapper mapper;
    private final Schemas schemas;
    private final Secrets secrets;
    final LongSupplier clock;
    private final Events events;
    final Dialect dialect;
    final Transactions tx;
    final OrderRows orders = new OrderRows();
    final CatalogRows catalog;
    final UsageLedger ledger;
    final Credentials credentials;
    private final Billing billing;
    private final long staleSessionMs;
    private long nextStaleSearch = Long.MIN_VALUE;

    SessionsCore(Database db, ObjectMapper mapper, Secrets secrets, LongSupplier clock, Events events,
            Throttle throttle, long staleSessionMs) {
        this.mapper = mapper;
        this.schemas = new Schemas(mapper);
        this.secrets = secrets;
        this.clock = clock;
        this.events = events;
        this.dialect = Dialect.of(db.postgres());
        this.tx = new Transactions(db, orders);
        this.catalog = new CatalogRows(mapper);
        this.billing = new Billing(clock, dialect);
        this.ledger = new UsageLedger(dialect, billing, orders, clock, events);
        this.credentials = new Credentials(throttle, clock);
        this.staleSessionMs = staleSessionMs;
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
        Template template = new Template(Schemas.id(compact), kind, compact);
        return tx.txInsertingOnce((c, after) -> {
            Template registered = catalog.findTemplate(c, template.id());
            if (registered == null) {
                catalog.insertTemplate(c, template, clock.getAsLong());
            } else if (registered.kind() != kind) {
                throw bad("this schema is already registered as an " + registered.kind() + " template");
            }
            return template;
        });
    }

    @Override
    public ProductCreated createProduct(NewProduct p) {
        required(p, "product");
        String name = text(p.name(), "name", true);
        String offer = text(p.offerTemplate(), "offerTemplate", true);
        String access = text(p.accessTemplate(), "accessTemplate", true);
        String endpoint = Inputs.endpoint(p.serviceEndpoint());
        Map<String, String> config = Inputs.config(p.config());
        String credential = secrets.randomToken(32);
        Product product = new Product(uuid(), name, offer, access, p.agent(), "total", endpoint, config);
        return tx.tx((c, after) -> {
            if (catalog.template(c, offer).kind() != TemplateKind.OFFER) {
                throw bad("offerTemplate is not an OFFER template");
            }
            if (catalog.template(c, access).kind() != TemplateKind.ACCESS) {
                throw bad("accessTemplate is not an ACCESS template");
            }
            catalog.insertProduct(c, product, Secrets.sha256(credential), clock.getAsLong());
            return new ProductCreated(product, credential);
        });
    }

    @Override
    public Product product(String id) {
        return tx.tx((c, after) -> catalog.product(c, text(id, "product", true)));
    }

    @Override
    public Offering createOffering(NewOffering o) {
        required(o, "offering");
        String productId = text(o.product(), "product", true);
        String name = text(o.name(), "name", true);
        Inputs.terms(o);
        Offering offering = new Offering(uuid(), productId, name, o.unitType(), o.unitSize(), o.unitPrice(),
                o.setupPrice(), o.minUnits(), o.maxUnits(), o.billingInterval(), o.maxBillingUnitLag(),
                o.maxInactiveSeconds(), o.maxSuspendedSeconds(), o.supply());
        return tx.tx((c, after) -> {
            Product product = catalog.product(c, productId);
            Template template = catalog.template(c, product.offerTemplate());
            Map<String, Object> message = new LinkedHashMap<>(mapper.convertValue(offering,
                    new TypeReference<LinkedHashMap<String, Object>>() {
                    }));
            message.put("templateHash", product.offerTemplate());
            schemas.validate(product.offerTemplate(), template.schema(), mapper.valueToTree(message),
                    Reason.INVALID_PARAMETERS);
            catalog.insertOffering(c, offering, clock.getAsLong());
            return offering;
        });
    }

    // ---------------------------------------------------------------- orders

    @Override
    public PlacedOrder placeOrder(String offeringId, long deposit) {
        String id = text(offeringId, "offering", true);
        nonNegative(deposit, "deposit");
        String clientKey = secrets.randomToken(12);
        String password = secrets.randomToken(20);
        String hash = secrets.hashPassword(password);
        return tx.tx((c, after) -> {
            Offering f = catalog.offering(c, id);
            BigInteger minimum = BigInteger.valueOf(f.minUnits()).multiply(BigInteger.valueOf(f.unitPrice()))
                    .add(BigInteger.valueOf(f.setupPrice()));
            if (BigInteger.valueOf(deposit).compareTo(minimum) < 0) {
                throw bad("the deposit must cover the setup price and minUnits: at least " + minimum);
            }
            if (f.supply() > 0) {
                // orders placed at once on this offering count one after another, so none exceeds the supply
                catalog.lockOffering(c, id);
                if (orders.countNotTerminated(c, id) >= f.supply()) {
                    throw new SessionsException(Reason.SUPPLY_EXHAUSTED, "the offering's supply is used up");
                }
            }
            Product product = catalog.product(c, f.product());
            Map<String, Object> access = accessMessage(c, product, clientKey, password);
            String orderId = uuid();
            orders.insertPlaced(c, orderId, f, product.id(), clientKey, hash, deposit, clock.getAsLong());
            after.add(() -> events.status(new StatusChange(orderId, product.id(), clientKey, ServiceStatus.PENDING,
                    ServiceStatus.ACTIVATING, "placed")));
            return new PlacedOrder(orders.byId(c, orderId, false).order(), password, access);
        });
    }

    @Override
    public Order importAccess(String productId, Map<String, Object> accessMessage) {
        String id = text(productId, "product", true);
        required(accessMessage, "accessMessage");
        String clientKey = text(accessMessage.get("username") instanceof String s ? s : null,
                "accessMessage.username", true);
        if (!(accessMessage.get("password") instanceof String password) || password.isEmpty()) {
            throw bad("accessMessage.password is required");
        }
        String stored;
        try {
            stored = mapper.writeValueAsString(accessMessage);
        } catch (JsonProcessingException e) {
            throw bad("accessMessage cannot be stored: " + e.getOriginalMessage());
        }
        String hash = secrets.hashPassword(password);
        return tx.insertingOnceOnOrder(clientKey, (c, after) -> {
            Product product = catalog.product(c, id);
            if (product.agent()) {
                throw bad("access messages are imported into a client-side product (agent = false)");
            }
            if (!product.accessTemplate().equals(accessMessage.get("templateHash"))) {
                throw new SessionsException(Reason.INVALID_ACCESS_MESSAGE,
                        "templateHash is not the access template of product " + id);
            }
            schemas.validate(product.accessTemplate(), catalog.template(c, product.accessTemplate()).schema(),
                    mapper.valueToTree(accessMessage), Reason.INVALID_ACCESS_MESSAGE);
            String orderId = orders.imported(c, product.id(), clientKey);
            if (orderId != null) {
                orders.replaceAccess(c, orderId, hash, stored);
                credentials.forgetClient(clientKey);
                return orders.byId(c, orderId, false).order();
            }
            String newId = uuid();
            orders.insertImported(c, newId, product.id(), clientKey, hash, stored, clock.getAsLong());
            after.add(() -> events.status(new StatusChange(newId, product.id(), clientKey, ServiceStatus.PENDING,
                    ServiceStatus.ACTIVE, "imported")));
            return orders.byId(c, newId, false).order();
        });
    }

    /** Builds the access message from the product's current configuration and validates it. */
    Map<String, Object> accessMessage(Connection c, Product product, String clientKey, String password)
            throws SQLException {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("templateHash", product.accessTemplate());
        message.put("username", clientKey);
        message.put("password", password);
        message.put("product", product.id());
        message.put("serviceEndpointAddress", product.serviceEndpoint());
        message.put("additionalParams", product.config());
        schemas.validate(product.accessTemplate(), catalog.template(c, product.accessTemplate()).schema(),
                mapper.valueToTree(message), Reason.INVALID_ACCESS_MESSAGE);
        return message;
    }

    /** An access message as imported (stored as JSON). */
    Map<String, Object> readMessage(String json) {
        try {
            return mapper.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored access message is not JSON", e);
        }
    }

    @Override
    public Order recordPayment(String orderId, long amount) {
        String id = text(orderId, "order", true);
        if (amount <= 0) {
            throw bad("amount must be positive");
        }
        tx.onOrderId(id, (c, after) -> {
            Row row = orders.byId(c, id, true);
            try {
                Math.addExact(row.order().paymentsReceived(), amount);
            } catch (ArithmeticException e) {
                throw bad("payments would overflow");
            }
            orders.addPayment(c, id, amount);
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
        tx.onOrderId(id, (c, after) -> {
            transition(c, after, orders.byId(c, id, true).order(), to, reason);
            completeIfIdle(c, after, id);
            return null;
        });
        return order(id);
    }

    /** Moves an order (locked by the caller) to {@code to}, announced once committed. */
    void transition(Connection c, List<Runnable> after, Order order, ServiceStatus to, String reason)
            throws SQLException {
        StatusChange change = orders.transition(c, order, to, reason, clock.getAsLong());
        after.add(() -> events.status(change));
    }

    /** Completes a suspending or terminating order without open sessions; answers its status after. */
    ServiceStatus completeIfIdle(Connection c, List<Runnable> after, String orderId) throws SQLException {
        Order order = orders.byId(c, orderId, true).order();
        ServiceStatus next = order.status() == ServiceStatus.SUSPENDING ? ServiceStatus.SUSPENDED
                : order.status() == ServiceStatus.TERMINATING ? ServiceStatus.TERMINATED : null;
        if (next != null && ledger.openSessions(c, orderId, UsageLedger.AGENT) == 0) {
            transition(c, after, order, next, "no open session");
            return next;
        }
        return order.status();
    }

    @Override
    public Order order(String id) {
        String orderId = text(id, "order", true);
        return tx.tx((c, after) -> orders.byId(c, orderId, false).order());
    }

    @Override
    public List<Order> orders(String product, ServiceStatus status) {
        return tx.tx((c, after) -> orders.list(c, product, status));
    }

    @Override
    public List<SessionInfo> sessions(String orderId) {
        String id = text(orderId, "order", true);
        return tx.tx((c, after) -> {
            orders.byId(c, id, false);
            return ledger.sessions(c, id);
        });
    }

    // ---------------------------------------------------------------- billing

    @Override
    public int runBilling() {
        closeStaleSessions();
        int changed = 0;
        for (Billing.Rule rule : Billing.RULES) {
            // one transaction per rule keeps a pass over every order in small transactions
            List<StatusChange> changes = tx.exclusive((c, after) -> billing.apply(c, rule, null));
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
        List<ConnectionChange> closed = tx.exclusive((c, after) -> ledger.closeStale(c, now - staleSessionMs));
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
    ServiceStatus bill(Connection c, List<Runnable> after, String orderId, ServiceStatus status)
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

    // ---------------------------------------------------------------- the faces

    @Override
    public AgentApi agent(String productId, String credential) {
        String id = text(productId, "product", true);
        credentials.checkProduct(id, credential, () -> tx.tx((c, after) -> catalog.credentialHash(c, id)));
        return new AgentFace(this, id);
    }

    @Override
    public ClientApi client(String clientKey, String password) {
        String key = text(clientKey, "clientKey", true);
        credentials.checkClient(key, password, () -> tx.tx((c, after) -> orders.byClientKey(c, key, false)));
        return new ClientFace(this, key, password);
    }
}

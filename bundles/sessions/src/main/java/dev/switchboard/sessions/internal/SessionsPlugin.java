package dev.switchboard.sessions.internal;

import static dev.switchboard.sessions.internal.RpcParams.bad;
import static dev.switchboard.sessions.internal.RpcParams.integer;
import static dev.switchboard.sessions.internal.RpcParams.need;
import static dev.switchboard.sessions.internal.RpcParams.stringMap;
import static dev.switchboard.sessions.internal.RpcParams.usage;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.switchboard.api.config.AcceptedValues;
import dev.switchboard.api.config.Settings;
import dev.switchboard.api.plugin.EventSink;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.sessions.api.AgentApi;
import dev.switchboard.sessions.api.ClientApi;
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
import dev.switchboard.sessions.api.SessionsListener;
import dev.switchboard.sessions.api.Template;
import dev.switchboard.sessions.api.TemplateKind;

/** The Sessions plugin: the {@link Sessions} OSGi service and its JSON-RPC face, over one core. */
@Component(service = {Plugin.class, Sessions.class}, configurationPid = "dev.switchboard.sessions",
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = SessionsPlugin.Config.class, factory = true)
public class SessionsPlugin implements Plugin, JSessions, Sessions {

    /** The metatype; {@link SessionsSettings} reads the properties with the same defaults and ranges. */
    @ObjectClassDefinition(name = "Switchboard Sessions plugin")
    public @interface Config {
        String callsign() default "Sessions";

        String startmode() default "Activated";

        @AttributeDefinition(description = "JDBC URL (jdbc:h2:... or jdbc:postgresql:...); empty = the H2 file"
                + " database in dataDir. Any other URL is refused, and so is the plugin", required = false)
        String jdbcUrl() default "";

        @AttributeDefinition(description = "Folder of the H2 file database when jdbcUrl is empty, created owner-only;"
                + " a relative path is relative to ${switchboard.home} (Karaf's feature sets ${karaf.data}/sessions)")
        String dataDir() default SessionsSettings.DATA_DIR;

        @AttributeDefinition(required = false)
        String user() default "";

        @AttributeDefinition(type = AttributeType.PASSWORD, required = false)
        String password() default "";

        @AttributeDefinition(description = "Most pooled database connections", min = SessionsSettings.MIN_POOL_SIZE,
                max = SessionsSettings.MAX_POOL_SIZE)
        int poolSize() default SessionsSettings.POOL_SIZE;

        @AttributeDefinition(description = "How long a call waits for a database connection, in milliseconds",
                min = SessionsSettings.MIN_CONNECTION_TIMEOUT_MS, max = SessionsSettings.MAX_CONNECTION_TIMEOUT_MS)
        long connectionTimeoutMs() default SessionsSettings.CONNECTION_TIMEOUT_MS;

        @AttributeDefinition(description = "Seconds between two passes of the billing monitor; 0 = off",
                min = SessionsSettings.MIN_BILLING_PERIOD_SECONDS, max = SessionsSettings.MAX_BILLING_PERIOD_SECONDS)
        long billingPeriodSeconds() default SessionsSettings.BILLING_PERIOD_SECONDS;

        @AttributeDefinition(description = "Seconds without a usage report after which the billing monitor closes"
                + " an agent session, whose adapter is then taken to be gone; 0 = never",
                min = SessionsSettings.MIN_STALE_SESSION_SECONDS, max = SessionsSettings.MAX_STALE_SESSION_SECONDS)
        long staleSessionSeconds() default SessionsSettings.STALE_SESSION_SECONDS;

        @AttributeDefinition(description = "PBKDF2 iterations for new client passwords",
                min = SessionsSettings.MIN_PASSWORD_ITERATIONS, max = SessionsSettings.MAX_PASSWORD_ITERATIONS)
        int passwordIterations() default Secrets.ITERATIONS;
    }

    /** An activation refused for a reason already logged in one line: no stack trace to add to it. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    static final String HOME_PROPERTY = "switchboard.home";
    static final String PID = "dev.switchboard.sessions";
    private static final Logger LOG = LoggerFactory.getLogger(SessionsPlugin.class);
    /** Each change of the configuration activates a new instance: what the last one accepted. */
    private static final AcceptedValues ACCEPTED = new AcceptedValues();

    private final Events events = new Events();
    private final ObjectMapper mapper = JsonMapper.builder().build();
    private Database database;
    private SessionsCore core;
    private ScheduledExecutorService monitor;
    private PostgresEventRelay relay;

    public SessionsPlugin() {
    }

    /** For tests: a plugin over an open database, without OSGi. */
    SessionsPlugin(Database database, int iterations, java.util.function.LongSupplier clock) {
        this.database = database;
        this.core = new SessionsCore(database, mapper, new Secrets(iterations), clock, events,
                new Throttle(clock, 3, 1000, 60_000), SessionsSettings.STALE_SESSION_SECONDS * 1000);
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) throws SQLException, IOException {
        Settings settings = new Settings(String.valueOf(properties.getOrDefault("service.pid", PID)), properties,
                ACCEPTED);
        SessionsSettings config = SessionsSettings.read(settings, properties);
        settings.rejections().forEach(LOG::error);
        settings.unknownKeyWarnings(Config.class).forEach(LOG::warn);
        if (config.jdbcUrl() == null) {
            throw new Refused("Sessions " + config.callsign() + " has no database it may use: see the line above");
        }
        String url;
        if (config.embedded()) {
            Path dir = dataDir(context.getProperty(HOME_PROPERTY), config.dataDir());
            database = Database.openFile(dir, config.user(), config.password(), config.poolSize(),
                    config.connectionTimeoutMs());
            url = Database.defaultUrl(dir);
        } else {
            database = Database.open(config.jdbcUrl(), config.user(), config.password(), config.poolSize(),
                    config.connectionTimeoutMs());
            url = config.loggableUrl();
        }
        core = new SessionsCore(database, mapper, new Secrets(config.passwordIterations()),
                System::currentTimeMillis, events, new Throttle(System::currentTimeMillis, 3, 1000, 60_000),
                config.staleSessionSeconds() * 1000);
        shareEventsWithOtherHosts();
        if (config.billingPeriodSeconds() > 0) {
            monitor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "switchboard-sessions-billing");
                thread.setDaemon(true);
                return thread;
            });
            monitor.scheduleWithFixedDelay(this::billingPass, config.billingPeriodSeconds(),
                    config.billingPeriodSeconds(), TimeUnit.SECONDS);
        }
        LOG.info("Sessions {} activated on {}", config.callsign(), url);
    }

    @Deactivate
    void deactivate() {
        if (monitor != null) {
            monitor.shutdownNow();
        }
        if (relay != null) {
            relay.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** Hosts sharing a PostgreSQL database hear of each other's changes; an H2 file has one host. */
    void shareEventsWithOtherHosts() {
        if (database.postgres()) {
            relay = new PostgresEventRelay(database, events, mapper);
            relay.start();
        }
    }

    private void billingPass() {
        try {
            long start = System.nanoTime();
            int changed = core.runBilling();
            if (changed > 0) {
                LOG.info("Billing pass changed {} orders in {} ms", changed, (System.nanoTime() - start) / 1_000_000);
            }
        } catch (RuntimeException e) {
            if (!database.fileRemoved()) {
                LOG.warn("Billing pass failed: {}", e.toString());
            }
        }
    }

    static Path home(String property) {
        return (property == null || property.isBlank() ? Path.of("") : Path.of(property)).toAbsolutePath();
    }

    /** The H2 database's folder: {@code dataDir}, against the home when relative; blank is the default. */
    static Path dataDir(String home, String dataDir) {
        return home(home).resolve(dataDir == null || dataDir.isBlank() ? SessionsSettings.DATA_DIR : dataDir.trim());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(SessionsListener listener) {
        events.add(listener);
    }

    void removeListener(SessionsListener listener) {
        events.remove(listener);
    }

    @Override
    public void attach(EventSink sink) {
        events.sink(sink);
    }

    Database database() {
        return database;
    }

    // ---------------------------------------------------------------- JSON-RPC face

    @Override
    public Template registerTemplate(TemplateParams params) {
        need(params);
        TemplateKind kind;
        try {
            kind = TemplateKind.valueOf(String.valueOf(params.kind()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad("kind must be OFFER or ACCESS");
        }
        if (params.schema() == null || !params.schema().isObject()) {
            throw new SessionsException(Reason.INVALID_SCHEMA, "schema must be a JSON object");
        }
        return registerTemplate(kind, params.schema().toString());
    }

    @Override
    public ProductCreated createProduct(ProductParams params) {
        need(params);
        Map<String, String> config = params.config() == null || params.config().isNull() ? Map.of()
                : stringMap(params.config());
        return createProduct(new NewProduct(params.name(), params.offerTemplate(), params.accessTemplate(),
                params.agent() == null || params.agent(), params.serviceEndpoint(), config));
    }

    @Override
    public Product product(Id params) {
        return product(need(params).id());
    }

    @Override
    public PlacedOrder placeOrder(OrderParams params) {
        need(params);
        return placeOrder(params.offering(), integer(params.deposit(), "deposit", null));
    }

    @Override
    public Order importAccess(ImportParams params) {
        need(params);
        return importAccess(params.product(), params.accessMessage());
    }

    @Override
    public Order recordPayment(PaymentParams params) {
        need(params);
        return recordPayment(params.order(), integer(params.amount(), "amount", null));
    }

    @Override
    public Order suspend(OrderRef params) {
        return suspend(need(params).order());
    }

    @Override
    public Order resume(OrderRef params) {
        return resume(need(params).order());
    }

    @Override
    public Order terminate(OrderRef params) {
        return terminate(need(params).order());
    }

    @Override
    public Order order(OrderRef params) {
        return order(need(params).order());
    }

    @Override
    public List<Order> orders(OrdersQuery params) {
        ServiceStatus status = null;
        if (params != null && params.status() != null) {
            try {
                status = ServiceStatus.of(params.status());
            } catch (IllegalArgumentException e) {
                throw bad("unknown status " + params.status());
            }
        }
        return orders(params == null ? null : params.product(), status);
    }

    @Override
    public List<SessionInfo> sessions(OrderRef params) {
        return sessions(need(params).order());
    }

    @Override
    public Changed runBillingPass() {
        return new Changed(core.runBilling());
    }

    @Override
    public int runBilling() {
        return core.runBilling();
    }

    @Override
    public boolean authClient(AuthParams params) {
        need(params);
        agent(params.product(), params.credential()).authClient(params.clientKey(), params.password());
        return true;
    }

    @Override
    public boolean setProductConfig(ConfigParams params) {
        need(params);
        AgentApi agent = agent(params.product(), params.credential());
        agent.setProductConfig(stringMap(params.config()));
        return true;
    }

    @Override
    public SessionInfo startSession(StartParams params) {
        need(params);
        return agent(params.product(), params.credential()).startSession(params.clientKey(), params.connection(),
                params.clientAddress());
    }

    @Override
    public Status updateSession(UsageParams params) {
        need(params);
        AgentApi agent = agent(params.product(), params.credential());
        return new Status(agent.updateSession(params.clientKey(), params.connection(),
                usage(params.bytesUp(), params.bytesDown(), false)).wire());
    }

    @Override
    public Status stopSession(UsageParams params) {
        need(params);
        AgentApi agent = agent(params.product(), params.credential());
        return new Status(agent.stopSession(params.clientKey(), params.connection(),
                usage(params.bytesUp(), params.bytesDown(), true)).wire());
    }

    @Override
    public Map<String, Object> getAccess(ClientParams params) {
        need(params);
        return client(params.clientKey(), params.password()).getAccess();
    }

    @Override
    public SessionInfo clientStartSession(ClientSessionParams params) {
        need(params);
        return client(params.clientKey(), params.password()).startSession(params.connection());
    }

    @Override
    public Status clientUpdateSession(ClientSessionParams params) {
        need(params);
        ClientApi client = client(params.clientKey(), params.password());
        return new Status(client.updateSession(params.connection(),
                usage(params.bytesUp(), params.bytesDown(), false)).wire());
    }

    @Override
    public Status clientStopSession(ClientSessionParams params) {
        need(params);
        ClientApi client = client(params.clientKey(), params.password());
        return new Status(client.stopSession(params.connection(),
                usage(params.bytesUp(), params.bytesDown(), true)).wire());
    }

    // ---------------------------------------------------------------- OSGi service face

    @Override
    public Template registerTemplate(TemplateKind kind, String schemaJson) {
        return core.registerTemplate(kind, schemaJson);
    }

    @Override
    public ProductCreated createProduct(NewProduct product) {
        return core.createProduct(product);
    }

    @Override
    public Product product(String id) {
        return core.product(id);
    }

    @Override
    public Offering createOffering(NewOffering offering) {
        return core.createOffering(offering);
    }

    @Override
    public PlacedOrder placeOrder(String offering, long deposit) {
        return core.placeOrder(offering, deposit);
    }

    @Override
    public Order importAccess(String product, Map<String, Object> accessMessage) {
        return core.importAccess(product, accessMessage);
    }

    @Override
    public Order recordPayment(String order, long amount) {
        return core.recordPayment(order, amount);
    }

    @Override
    public Order suspend(String order) {
        return core.suspend(order);
    }

    @Override
    public Order resume(String order) {
        return core.resume(order);
    }

    @Override
    public Order terminate(String order) {
        return core.terminate(order);
    }

    @Override
    public Order order(String id) {
        return core.order(id);
    }

    @Override
    public List<Order> orders(String product, ServiceStatus status) {
        return core.orders(product, status);
    }

    @Override
    public List<SessionInfo> sessions(String order) {
        return core.sessions(order);
    }

    @Override
    public AgentApi agent(String product, String credential) {
        return core.agent(product, credential);
    }

    @Override
    public ClientApi client(String clientKey, String password) {
        return core.client(clientKey, password);
    }
}

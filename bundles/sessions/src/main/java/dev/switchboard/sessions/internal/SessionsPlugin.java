package dev.switchboard.sessions.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
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
import dev.switchboard.api.files.Home;
import dev.switchboard.api.plugin.EventSink;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.api.threads.DaemonThreads;
import dev.switchboard.sessions.api.Sessions;
import dev.switchboard.sessions.api.SessionsListener;

/**
 * The Sessions plugin: opens the database its configuration names, registers the core over it as
 * the {@link Sessions} OSGi service, runs the billing monitor, and answers JSON-RPC as {@link SessionsRpc}.
 */
@Component(service = Plugin.class, configurationPid = "dev.switchboard.sessions",
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = SessionsPlugin.Config.class, factory = true)
public class SessionsPlugin extends SessionsRpc implements Plugin {

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
    private ServiceRegistration<Sessions> registration;
    private ServiceRegistration<Database> databaseRegistration;

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
            Path dir = dataDir(context.getProperty(Home.PROPERTY), config.dataDir());
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
            monitor = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("switchboard-sessions-billing"));
            monitor.scheduleWithFixedDelay(this::billingPass, config.billingPeriodSeconds(),
                    config.billingPeriodSeconds(), TimeUnit.SECONDS);
        }
        registration = context.registerService(Sessions.class, core, serviceProperties(properties));
        // for the database health check of this bundle, which no other bundle can use
        databaseRegistration = context.registerService(Database.class, database,
                FrameworkUtil.asDictionary(Map.of(PluginConstants.CALLSIGN, config.callsign())));
        LOG.info("Sessions {} activated on {}", config.callsign(), url);
    }

    /** The Sessions service's properties: the plugin's (its callsign among them), as DS would publish them. */
    private static Dictionary<String, Object> serviceProperties(Map<String, Object> properties) {
        Hashtable<String, Object> published = new Hashtable<>();
        properties.forEach((key, value) -> {
            if (!key.startsWith(".") && !key.startsWith("component.")) {
                published.put(key, value);
            }
        });
        return published;
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
        if (databaseRegistration != null) {
            databaseRegistration.unregister();
        }
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

    /** The H2 database's folder: {@code dataDir}, against the home when relative; blank is the default. */
    static Path dataDir(String home, String dataDir) {
        return Home.of(home).resolve(dataDir == null || dataDir.isBlank() ? SessionsSettings.DATA_DIR : dataDir.trim());
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

    @Override
    Sessions sessions() {
        return core;
    }
}

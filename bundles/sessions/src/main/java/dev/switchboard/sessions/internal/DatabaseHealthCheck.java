package dev.switchboard.sessions.internal;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.api.threads.DaemonThreads;

/**
 * A Felix Health Check of the databases of the active Sessions instances, one line each: CRITICAL
 * when one cannot be reached (no pooled connection that passes {@code isValid} within
 * {@link #TIMEOUT}), OK with the database's product name and version otherwise. It is there while
 * at least one instance is active (one that failed to start is the check "Switchboard plugins"'s
 * concern), and only where the Health Check API is installed.
 */
@Component(service = HealthCheck.class, property = {
    HealthCheck.NAME + "=Switchboard sessions database",
    HealthCheck.TAGS + "=switchboard",
    HealthCheck.TAGS + "=sessions",
    HealthCheck.TAGS + "=database"
})
public class DatabaseHealthCheck implements HealthCheck {

    /**
     * How long the check waits for a database: below the Felix executor's default timeout (2 s),
     * past which it would report the check as WARN, still running, rather than CRITICAL.
     */
    static final Duration TIMEOUT = Duration.ofMillis(1500);

    private final Map<String, Database> instances = new ConcurrentSkipListMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<Database, Future<String>> probes = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(DaemonThreads.named("switchboard-sessions-health"));

    /** The database of an active Sessions instance, which its plugin registers for this check alone. */
    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC)
    void addDatabase(Database database, Map<String, Object> properties) {
        instances.put(String.valueOf(properties.get(PluginConstants.CALLSIGN)), database);
    }

    void removeDatabase(Database database, Map<String, Object> properties) {
        instances.remove(String.valueOf(properties.get(PluginConstants.CALLSIGN)), database);
    }

    @Deactivate
    void deactivate() {
        executor.shutdownNow();
    }

    @Override
    public Result execute() {
        return new Result(evaluate(new LinkedHashMap<>(instances)));
    }

    /** Probes every database by callsign, all at once, and waits at most {@link #TIMEOUT} for them. */
    FormattingResultLog evaluate(Map<String, Database> databases) {
        Map<String, Future<String>> running = new LinkedHashMap<>();
        databases.forEach((callsign, database) -> running.put(callsign, probe(database)));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        FormattingResultLog log = new FormattingResultLog();
        running.forEach((callsign, probe) -> {
            try {
                log.info("{}: {} answers", callsign,
                        probe.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                log.critical("{}: the database did not answer within {} ms", callsign, TIMEOUT.toMillis());
            } catch (ExecutionException e) {
                log.critical("{}: the database cannot be reached: {}", callsign, e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.critical("{}: interrupted while waiting for the database", callsign);
            }
        });
        probes.values().removeIf(Future::isDone);
        return log;
    }

    /** A probe of {@code database}: the one still running if any, so a hanging database holds one thread. */
    private Future<String> probe(Database database) {
        return probes.compute(database, (key, previous) -> previous != null && !previous.isDone() ? previous
                : executor.submit(() -> productOf(key)));
    }

    /** The product name and version of the database behind a pooled connection that is valid. */
    static String productOf(Database database) throws SQLException {
        try (Connection connection = database.connection()) {
            if (!connection.isValid((int) Math.max(1, TIMEOUT.toSeconds()))) {
                throw new SQLException("the connection is not valid");
            }
            DatabaseMetaData meta = connection.getMetaData();
            return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
        }
    }
}

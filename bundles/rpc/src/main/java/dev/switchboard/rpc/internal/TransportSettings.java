package dev.switchboard.rpc.internal;

import java.util.Map;

import dev.switchboard.api.config.Settings;

/**
 * The transport's configuration ({@code etc/dev.switchboard.rpc.cfg}) read fail-closed: a value of
 * the wrong type, out of range or empty keeps the value in force, and {@code enforce} anything but
 * {@code true} or {@code false} keeps enforcement on. The ranges are the metatype's
 * ({@link JsonRpcServlet.Config}).
 */
record TransportSettings(boolean enforce, int maxRequestBytes, int maxNestingDepth, int maxBatchSize,
        long callTimeoutMillis, int workerThreads, int maxCallsPerClient, int maxCallsInProgress,
        int maxPendingBytesPerConnection, long webSocketIdleTimeoutSeconds, Cors cors) {

    static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
    static final String MIN_REQUEST_BYTES = "1024";
    static final String MAX_REQUEST_BYTES = "67108864";

    static final int DEFAULT_MAX_NESTING_DEPTH = 64;
    static final String MIN_NESTING_DEPTH = "2";
    static final String MAX_NESTING_DEPTH = "1000";

    static final int DEFAULT_MAX_BATCH_SIZE = 100;
    static final String MIN_BATCH_SIZE = "1";
    static final String MAX_BATCH_SIZE = "10000";

    static final long DEFAULT_CALL_TIMEOUT_MILLIS = 30_000;
    static final String MIN_CALL_TIMEOUT_MILLIS = "100";
    static final String MAX_CALL_TIMEOUT_MILLIS = "3600000";

    static final int DEFAULT_WORKER_THREADS = 4;
    static final String MIN_WORKER_THREADS = "1";
    static final String MAX_WORKER_THREADS = "1024";

    static final int DEFAULT_MAX_CALLS_PER_CLIENT = 200;
    static final String MIN_CALLS_PER_CLIENT = "1";
    static final String MAX_CALLS_PER_CLIENT = "100000";

    static final int DEFAULT_MAX_CALLS_IN_PROGRESS = 500;
    static final String MIN_CALLS_IN_PROGRESS = "1";
    static final String MAX_CALLS_IN_PROGRESS = "1000000";

    static final int DEFAULT_MAX_PENDING_BYTES = 1024 * 1024;
    static final String MIN_PENDING_BYTES = "65536";
    static final String MAX_PENDING_BYTES = "1073741824";

    static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 300;
    static final String MIN_IDLE_TIMEOUT_SECONDS = "1";
    static final String MAX_IDLE_TIMEOUT_SECONDS = "86400";

    static final TransportSettings DEFAULTS = new TransportSettings(true, DEFAULT_MAX_REQUEST_BYTES,
            DEFAULT_MAX_NESTING_DEPTH, DEFAULT_MAX_BATCH_SIZE, DEFAULT_CALL_TIMEOUT_MILLIS, DEFAULT_WORKER_THREADS,
            DEFAULT_MAX_CALLS_PER_CLIENT, DEFAULT_MAX_CALLS_IN_PROGRESS, DEFAULT_MAX_PENDING_BYTES,
            DEFAULT_IDLE_TIMEOUT_SECONDS, Cors.ANY);

    /**
     * Reads every key but {@code metricsEndpoint} (its own component reads that); mistakes are left
     * in {@code settings.rejections()}. A key that is absent takes its default; a key whose value
     * is refused keeps the previous value.
     */
    static TransportSettings read(Settings settings, Map<String, ?> properties, TransportSettings previous) {
        TransportSettings kept = new TransportSettings(true,
                properties.containsKey("maxRequestBytes") ? previous.maxRequestBytes() : DEFAULTS.maxRequestBytes(),
                properties.containsKey("maxNestingDepth") ? previous.maxNestingDepth() : DEFAULTS.maxNestingDepth(),
                properties.containsKey("maxBatchSize") ? previous.maxBatchSize() : DEFAULTS.maxBatchSize(),
                properties.containsKey("callTimeoutMillis") ? previous.callTimeoutMillis() : DEFAULTS.callTimeoutMillis(),
                properties.containsKey("workerThreads") ? previous.workerThreads() : DEFAULTS.workerThreads(),
                properties.containsKey("maxCallsPerClient") ? previous.maxCallsPerClient() : DEFAULTS.maxCallsPerClient(),
                properties.containsKey("maxCallsInProgress") ? previous.maxCallsInProgress() : DEFAULTS.maxCallsInProgress(),
                properties.containsKey("maxPendingBytesPerConnection") ? previous.maxPendingBytesPerConnection()
                        : DEFAULTS.maxPendingBytesPerConnection(),
                properties.containsKey("webSocketIdleTimeoutSeconds") ? previous.webSocketIdleTimeoutSeconds()
                        : DEFAULTS.webSocketIdleTimeoutSeconds(),
                properties.containsKey("corsOrigins") ? previous.cors() : DEFAULTS.cors());
        return readOver(settings, kept);
    }

    private static TransportSettings readOver(Settings settings, TransportSettings previous) {
        return new TransportSettings(
                // the safe value, whatever was in force: a typo must never turn checking off
                settings.flag("enforce", true),
                settings.integer("maxRequestBytes", MIN_REQUEST_BYTES, MAX_REQUEST_BYTES, previous.maxRequestBytes()),
                settings.integer("maxNestingDepth", MIN_NESTING_DEPTH, MAX_NESTING_DEPTH, previous.maxNestingDepth()),
                settings.integer("maxBatchSize", MIN_BATCH_SIZE, MAX_BATCH_SIZE, previous.maxBatchSize()),
                settings.longInteger("callTimeoutMillis", MIN_CALL_TIMEOUT_MILLIS, MAX_CALL_TIMEOUT_MILLIS,
                        previous.callTimeoutMillis()),
                settings.integer("workerThreads", MIN_WORKER_THREADS, MAX_WORKER_THREADS, previous.workerThreads()),
                settings.integer("maxCallsPerClient", MIN_CALLS_PER_CLIENT, MAX_CALLS_PER_CLIENT,
                        previous.maxCallsPerClient()),
                settings.integer("maxCallsInProgress", MIN_CALLS_IN_PROGRESS, MAX_CALLS_IN_PROGRESS,
                        previous.maxCallsInProgress()),
                settings.integer("maxPendingBytesPerConnection", MIN_PENDING_BYTES, MAX_PENDING_BYTES,
                        previous.maxPendingBytesPerConnection()),
                settings.longInteger("webSocketIdleTimeoutSeconds", MIN_IDLE_TIMEOUT_SECONDS, MAX_IDLE_TIMEOUT_SECONDS,
                        previous.webSocketIdleTimeoutSeconds()),
                cors(settings, previous.cors()));
    }

    private static Cors cors(Settings settings, Cors kept) {
        String value = settings.text("corsOrigins", kept.toString());
        try {
            return Cors.parse(value);
        } catch (IllegalArgumentException e) {
            return settings.reject("corsOrigins", value, e.getMessage(), kept);
        }
    }
}

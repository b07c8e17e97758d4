package dev.switchboard.sessions.internal;

import java.util.Map;

import dev.switchboard.api.config.Settings;

/**
 * The Sessions plugin's configuration, read fail-closed: a value of the wrong type, out of range or empty
 * keeps its default and is named in {@link Settings#rejections()}. The ranges are the metatype's.
 *
 * @param jdbcUrl the database, or empty for the H2 file database in {@code dataDir}
 */
record SessionsSettings(String callsign, String jdbcUrl, String dataDir, String user, String password, int poolSize,
        long connectionTimeoutMs, long billingPeriodSeconds, long staleSessionSeconds, int passwordIterations) {

    static final String MIN_POOL_SIZE = "1";
    static final String MAX_POOL_SIZE = "200";
    static final int POOL_SIZE = 8;
    /** Hikari waits at least 250 ms. */
    static final String MIN_CONNECTION_TIMEOUT_MS = "250";
    static final String MAX_CONNECTION_TIMEOUT_MS = "600000";
    static final long CONNECTION_TIMEOUT_MS = 5000;
    static final String MIN_BILLING_PERIOD_SECONDS = "0";
    static final String MAX_BILLING_PERIOD_SECONDS = "86400";
    static final long BILLING_PERIOD_SECONDS = 5;
    static final String MIN_STALE_SESSION_SECONDS = "0";
    static final String MAX_STALE_SESSION_SECONDS = "31536000";
    static final long STALE_SESSION_SECONDS = 900;
    static final String MIN_PASSWORD_ITERATIONS = "10000";
    static final String MAX_PASSWORD_ITERATIONS = "10000000";
    static final String DATA_DIR = "data/sessions";

    /**
     * Reads every setting of {@code properties}; what was refused is in {@code settings.rejections()}.
     *
     * @param settings over the same properties
     */
    static SessionsSettings read(Settings settings, Map<String, ?> properties) {
        return new SessionsSettings(
                settings.text("callsign", "Sessions"),
                jdbcUrl(settings, properties.get("jdbcUrl")),
                settings.text("dataDir", DATA_DIR),
                optionalText(properties.get("user")),
                optionalText(properties.get("password")),
                settings.integer("poolSize", MIN_POOL_SIZE, MAX_POOL_SIZE, POOL_SIZE),
                settings.longInteger("connectionTimeoutMs", MIN_CONNECTION_TIMEOUT_MS, MAX_CONNECTION_TIMEOUT_MS,
                        CONNECTION_TIMEOUT_MS),
                settings.longInteger("billingPeriodSeconds", MIN_BILLING_PERIOD_SECONDS, MAX_BILLING_PERIOD_SECONDS,
                        BILLING_PERIOD_SECONDS),
                settings.longInteger("staleSessionSeconds", MIN_STALE_SESSION_SECONDS, MAX_STALE_SESSION_SECONDS,
                        STALE_SESSION_SECONDS),
                settings.integer("passwordIterations", MIN_PASSWORD_ITERATIONS, MAX_PASSWORD_ITERATIONS,
                        Secrets.ITERATIONS));
    }

    /** Whether the database is the H2 file database in {@link #dataDir}. */
    boolean embedded() {
        return jdbcUrl.isEmpty();
    }

    /** The URL as it may be logged: any password in it masked. */
    String loggableUrl() {
        return masked(jdbcUrl);
    }

    /**
     * Empty is the embedded database. Any URL but H2's and PostgreSQL's is refused, and so is the plugin: no
     * other database stands in for the one the operator named, where the orders of the other would be missing.
     */
    private static String jdbcUrl(Settings settings, Object value) {
        String url = value == null ? "" : String.valueOf(value).trim();
        if (url.isEmpty() || url.startsWith("jdbc:h2:") || url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        settings.reject("jdbcUrl", masked(url), "is neither jdbc:h2: nor jdbc:postgresql:", "no database");
        return null;
    }

    /** A text that may be empty (a user name, a password). */
    private static String optionalText(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    private static String masked(String url) {
        return url.replaceAll("(?i)password=[^;&]*", "password=***");
    }
}

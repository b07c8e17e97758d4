package dev.switchboard.socks.relay;

import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.AcceptedValues;
import dev.switchboard.api.config.Settings;

/**
 * What the configurations of both SOCKS5 adapters share: the defaults and ranges of their common keys
 * (the ranges are the metatype's {@code min} and {@code max} too), and reading them fail-closed.
 */
public final class AdapterConfig {

    public static final String PORT_MIN = "0";
    public static final String PORT_MAX = "65535";
    public static final long REPORT_SECONDS = 5;
    public static final String REPORT_SECONDS_MIN = "1";
    public static final String REPORT_SECONDS_MAX = "86400";
    public static final int TIMEOUT_MILLIS = 10_000;
    public static final String TIMEOUT_MILLIS_MIN = "1";
    public static final String TIMEOUT_MILLIS_MAX = "3600000";

    private static final Logger LOG = LoggerFactory.getLogger(AdapterConfig.class);
    /** An adapter is activated anew on each change of its configuration: what the last one accepted. */
    private static final AcceptedValues ACCEPTED = new AcceptedValues();

    private AdapterConfig() {
    }

    /**
     * Reads {@code properties} with {@code reader}: a value of the wrong type, out of its range or empty
     * keeps the value an earlier activation accepted (else the default) and is logged as one ERROR line naming key and value, a key {@code config} does
     * not declare as one WARN line.
     *
     * @param pid names the configuration in the log when Config Admin did not say which it is
     */
    public static <T> T read(Map<String, ?> properties, String pid, Class<? extends Annotation> config,
            Function<Settings, T> reader) {
        Object configured = properties.get("service.pid");
        Settings settings = new Settings(configured == null ? pid : String.valueOf(configured), properties,
                ACCEPTED);
        T read = reader.apply(settings);
        settings.rejections().forEach(LOG::error);
        settings.unknownKeyWarnings(config).forEach(LOG::warn);
        return read;
    }

    /** A value the adapter cannot work without: without it, activation fails. */
    public static String required(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is required");
        }
        return value.trim();
    }
}

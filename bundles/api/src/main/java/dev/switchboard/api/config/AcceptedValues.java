package dev.switchboard.api.config;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values {@link Settings} last accepted, per configuration and key. A plugin that Declarative
 * Services activates anew on every change of its configuration holds one in a static field, so that a
 * refused setting keeps the value it had rather than falling back to its default: an operator who set
 * a token lifetime of an hour and then mistyped it does not get a day.
 */
public final class AcceptedValues {

    private final Map<String, Object> values = new ConcurrentHashMap<>();

    <T> T remember(String pid, String key, T value) {
        values.put(pid + '\u0000' + key, value);
        return value;
    }

    /** A key taken out of the configuration returns to its default. */
    <T> T forget(String pid, String key, T fallback) {
        values.remove(pid + '\u0000' + key);
        return fallback;
    }

    @SuppressWarnings("unchecked")
    <T> T previous(String pid, String key, T fallback) {
        Object value = values.get(pid + '\u0000' + key);
        return value != null && fallback != null && fallback.getClass().isInstance(value) ? (T) value : fallback;
    }
}

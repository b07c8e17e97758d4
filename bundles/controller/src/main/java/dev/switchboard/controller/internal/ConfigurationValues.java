package dev.switchboard.controller.internal;

import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.api.plugin.PluginConstants;

/**
 * Converts between a plugin's JSON configuration object (Thunder's {@code configuration}) and
 * Config Admin properties, which hold only scalars and arrays of scalars.
 */
final class ConfigurationValues {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private ConfigurationValues() {
    }

    /** Scalars stay as they are, lists of scalars become String arrays, nested objects become JSON text. */
    static Object toProperty(String key, Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Collection<?> list && list.stream().allMatch(ConfigurationValues::isScalar)) {
            return list.stream().map(String::valueOf).toArray(String[]::new);
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("configuration value " + key + " cannot be stored", e);
        }
    }

    private static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    /** Keys that belong to the host, not to the plugin's own configuration. */
    static boolean isReserved(String key) {
        return key.equals(PluginConstants.CALLSIGN) || key.equals(PluginConstants.STARTMODE) || key.startsWith("service.")
                || key.startsWith("felix.") || key.startsWith("osgi.") || key.startsWith("component.")
                || key.startsWith("org.apache.karaf.");
    }

    /** The plugin's own configuration, as JSON would show it. */
    static Map<String, Object> ownProperties(Dictionary<String, Object> properties) {
        Map<String, Object> own = new LinkedHashMap<>();
        if (properties == null) {
            return own;
        }
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!isReserved(key)) {
                Object value = properties.get(key);
                own.put(key, value instanceof Object[] array ? List.of(array) : value);
            }
        }
        return own;
    }
}

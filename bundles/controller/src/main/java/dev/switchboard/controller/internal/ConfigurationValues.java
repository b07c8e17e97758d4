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

    /** A value written into an LDAP filter as itself: backslash, star and parentheses escaped. */
    static String filterValue(String value) {
        return value.replaceAll("([\\\\*()])", "\\\\$1");
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

    /**
     * The plugin file a configuration was imported from, a private property (leading dot) that Config
     * Admin stores but does not publish.
     */
    static final String IMPORTED_FROM = ".switchboard.importedFrom";

    /** FileInstall's property naming the {@code etc/} file of a configuration, as a URL. */
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    /** The file a configuration comes from (an {@code etc/} file, a plugin file), or null when it has none. */
    static String origin(Dictionary<String, Object> properties) {
        Object imported = properties.get(IMPORTED_FROM);
        if (imported != null) {
            return "plugin file " + imported;
        }
        Object file = properties.get(FILEINSTALL_FILENAME);
        return file == null ? null : String.valueOf(file).replaceFirst("^file:", "");
    }

    /** Keys that belong to the host, not to the plugin's own configuration. */
    static boolean isReserved(String key) {
        return key.startsWith(".") || key.equals(PluginConstants.CALLSIGN) || key.equals(PluginConstants.STARTMODE)
                || key.equals(PluginConstants.WEBUI) || key.startsWith("service.")
                || key.startsWith("felix.") || key.startsWith("osgi.") || key.startsWith("component.")
                || key.startsWith("org.apache.karaf.");
    }

    /** What a secret value shows as; set back unchanged, it keeps the stored secret. */
    static final String MASK = "********";

    /** Keys whose values are secrets (a database password, an adapter's product credential): never shown. */
    static boolean isSecret(String key) {
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith("password") || lower.endsWith("credential") || lower.endsWith("secret");
    }

    /** The plugin's own configuration, as JSON would show it, secrets masked. */
    static Map<String, Object> ownProperties(Dictionary<String, Object> properties) {
        Map<String, Object> own = new LinkedHashMap<>();
        if (properties == null) {
            return own;
        }
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!isReserved(key)) {
                Object value = properties.get(key);
                if (isSecret(key) && value != null && !String.valueOf(value).isEmpty()) {
                    value = MASK;
                }
                own.put(key, value instanceof Object[] array ? List.of(array) : value);
            }
        }
        return own;
    }
}

package dev.switchboard.api.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A component's configuration properties read fail-closed. A value of the wrong type, out of its
 * range or empty is not taken: the value in force is kept (the caller's previous value, or the safe
 * default on first activation) and the mistake is recorded as one line naming the key and the
 * value, for the component to log. Ranges are given as the same string constants the metatype's
 * {@code min} and {@code max} use, so what the metatype shows is what the code accepts.
 *
 * <pre>
 * Settings settings = new Settings(PID, properties);
 * boolean enforce = settings.flag("enforce", true);
 * int maxBytes = settings.integer("maxRequestBytes", MIN_BYTES, MAX_BYTES, previous.maxBytes());
 * settings.rejections().forEach(LOG::error);
 * </pre>
 */
public final class Settings {

    /**
     * Properties the framework, Config Admin, FileInstall, Karaf's features and the Controller add to any
     * configuration.
     */
    private static final Set<String> FRAMEWORK_KEYS = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", "component.name", "component.id", "felix.fileinstall.filename",
            "org.apache.karaf.features.configKey",
            "osgi.ds.satisfying.condition.target", "webconsole.configurationFactory.nameHint", "callsign",
            "startmode", "webui");

    private final String pid;
    private final Map<String, ?> properties;
    private final AcceptedValues accepted;
    private final List<String> rejections = new ArrayList<>();

    /**
     * For a component that keeps its instance across a change ({@code @Modified}): the caller passes the
     * value in force as {@code kept}.
     *
     * @param pid        names the configuration in every line this writes
     * @param properties the component's properties as Config Admin (or DS) passed them
     */
    public Settings(String pid, Map<String, ?> properties) {
        this(pid, properties, new AcceptedValues());
    }

    /**
     * For a component that is activated anew on each change: a refused number, text or choice keeps
     * the value {@code accepted} remembers from an earlier activation of {@code pid}, not the default
     * the caller passes.
     */
    public Settings(String pid, Map<String, ?> properties, AcceptedValues accepted) {
        this.pid = pid;
        this.properties = properties == null ? Map.of() : properties;
        this.accepted = accepted;
    }

    /**
     * A boolean that is exactly {@code true} or {@code false} (any case); anything else keeps {@code kept},
     * the safe value, whatever was accepted before: a switch that guards something is never left open
     * by a typo.
     */
    public boolean flag(String key, boolean kept) {
        Object value = properties.get(key);
        if (value == null) {
            return kept;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = String.valueOf(value).trim();
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        return reject(key, value, "is not true or false", kept);
    }

    /** A whole number within {@code [min, max]}; anything else keeps {@code kept}. */
    public int integer(String key, String min, String max, int kept) {
        return (int) longInteger(key, min, max, kept);
    }

    /** A whole number within {@code [min, max]}; anything else keeps {@code kept}. */
    public long longInteger(String key, String min, String max, long kept) {
        Object value = properties.get(key);
        if (value == null) {
            return accepted.forget(pid, key, kept);
        }
        kept = accepted.previous(pid, key, kept);
        long number;
        if (value instanceof Number n && !(value instanceof Double || value instanceof Float)) {
            number = n.longValue();
        } else {
            String text = String.valueOf(value).trim();
            if (text.isEmpty()) {
                return reject(key, value, "is empty", kept);
            }
            try {
                number = Long.parseLong(text);
            } catch (NumberFormatException e) {
                return reject(key, value, "is not a whole number", kept);
            }
        }
        if (number < Long.parseLong(min) || number > Long.parseLong(max)) {
            return reject(key, value, "is outside " + min + ".." + max, kept);
        }
        return accepted.remember(pid, key, number);
    }

    /** A text that is not blank; a blank or missing one keeps {@code kept}. */
    public String text(String key, String kept) {
        Object value = properties.get(key);
        if (value == null) {
            return accepted.forget(pid, key, kept);
        }
        String text = String.valueOf(value).trim();
        return text.isEmpty() ? reject(key, value, "is empty", accepted.previous(pid, key, kept))
                : accepted.remember(pid, key, text);
    }

    /** One of {@code choices}, compared ignoring case; anything else keeps {@code kept}. */
    public <E extends Enum<E>> E choice(String key, Class<E> choices, E kept) {
        Object value = properties.get(key);
        if (value == null) {
            return accepted.forget(pid, key, kept);
        }
        String text = String.valueOf(value).trim();
        for (E constant : choices.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text)) {
                return accepted.remember(pid, key, constant);
            }
        }
        return reject(key, value, "is not one of " + List.of(choices.getEnumConstants()),
                accepted.previous(pid, key, kept));
    }

    /**
     * A list of texts: an array or a collection, as Config Admin and {@code .config} files give them, or
     * one text of comma-separated entries, as a {@code .cfg} line gives it (blank: an empty list). When any
     * entry is not {@code valid} the whole list keeps {@code kept}, the safe value, whatever was accepted
     * before: a list that guards something is never taken in part.
     *
     * @param rule what a valid entry is, in words, for the line naming the mistake
     */
    public List<String> texts(String key, Predicate<String> valid, String rule, List<String> kept) {
        Object value = properties.get(key);
        if (value == null) {
            return kept;
        }
        List<String> entries = new ArrayList<>();
        if (value instanceof String text) {
            for (String entry : text.split(",")) {
                if (!entry.isBlank()) {
                    entries.add(entry.trim());
                }
            }
        } else if (value instanceof Object[] array) {
            for (Object entry : array) {
                entries.add(String.valueOf(entry).trim());
            }
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(entry -> entries.add(String.valueOf(entry).trim()));
        } else {
            return reject(key, value, "is not a list of texts", kept);
        }
        for (String entry : entries) {
            if (!valid.test(entry)) {
                return reject(key, entries, "has " + LogText.quote(entry) + ", which is not " + rule, kept);
            }
        }
        return List.copyOf(entries);
    }

    /** Records a mistake this class cannot see (a path that does not exist, say) and keeps {@code kept}. */
    public <T> T reject(String key, Object value, String why, T kept) {
        rejections.add("Configuration " + pid + ": " + key + " = " + LogText.quote(value) + " " + why
                + "; keeping " + kept);
        return kept;
    }

    /**
     * Keys that {@code config} (the component's metatype annotation) does not declare and that the
     * framework does not add, nor an OSGi specification names ({@code osgi.*}): most likely a misspelt setting, which would otherwise be ignored silently.
     */
    public Set<String> unknownKeys(Class<? extends Annotation> config) {
        Set<String> known = new TreeSet<>(FRAMEWORK_KEYS);
        for (Method method : config.getDeclaredMethods()) {
            known.add(propertyName(method.getName()));
        }
        Set<String> unknown = new TreeSet<>();
        for (String key : properties.keySet()) {
            // "osgi." keys are the component's own service properties (a whiteboard pattern, say)
            if (!known.contains(key) && !key.startsWith(".") && !key.startsWith("osgi.") && !key.endsWith(".target")) {
                unknown.add(key);
            }
        }
        return unknown;
    }

    /** A line for each unknown key (see {@link #unknownKeys}), for the component to log as a warning. */
    public List<String> unknownKeyWarnings(Class<? extends Annotation> config) {
        List<String> lines = new ArrayList<>();
        for (String key : unknownKeys(config)) {
            lines.add("Configuration " + pid + ": unknown key " + LogText.quote(key) + " is ignored");
        }
        return lines;
    }

    /** What was refused, one line each, in the order it was read. */
    public List<String> rejections() {
        return List.copyOf(rejections);
    }

    /** The property name Declarative Services gives an annotation element (OSGi DS 1.4, 112.8.2.1). */
    static String propertyName(String element) {
        StringBuilder name = new StringBuilder(element.length());
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (c == '$' && element.startsWith("$_$", i)) {
                name.append('-');
                i += 2;
            } else if (c == '$') {
                if (i + 1 < element.length() && element.charAt(i + 1) == '$') {
                    name.append('$');
                    i++;
                }
            } else if (c == '_') {
                if (i + 1 < element.length() && element.charAt(i + 1) == '_') {
                    name.append('_');
                    i++;
                } else {
                    name.append('.');
                }
            } else {
                name.append(c);
            }
        }
        return name.toString();
    }
}

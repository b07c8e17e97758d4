package dev.switchboard.controller.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.condition.Condition;

import dev.switchboard.api.config.Settings;
import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.api.plugin.StartMode;

/**
 * The conditions that let plugin instances run: one per configuration whose instance may run,
 * registered while it may and withdrawn when it may not. {@link ConditionTargets} makes each
 * instance wait for the condition of its own configuration.
 */
final class StartModeConditions {

    static final String CONDITION_ID = "dev.switchboard.plugin";
    /** Condition property naming the configuration whose instance the condition lets run. */
    static final String CONDITION_PID = "switchboard.pid";
    private static final String CONTROLLER_KIND = PluginConstants.FACTORY_PID_PREFIX + "controller";

    /** Registers a condition with these properties and gives what withdraws it. */
    @FunctionalInterface
    interface Registrar {
        Runnable register(Dictionary<String, Object> properties);
    }

    private final Registrar registrar;
    /** What withdraws each registered condition, by configuration PID. */
    private final Map<String, Runnable> registered = new ConcurrentHashMap<>();

    StartModeConditions(Registrar registrar) {
        this.registrar = registrar;
    }

    /** Whether configurations of this factory PID are plugin instances, each claiming its callsign. */
    static boolean isPluginKind(String factoryPid) {
        return factoryPid.startsWith(PluginConstants.FACTORY_PID_PREFIX);
    }

    /**
     * Whether the instances of this factory PID wait for their condition. Not the Controller's: it
     * uses the plugin states, so registering its condition while they activate would be a cycle.
     * A Controller configuration refused its callsign fails its activation instead.
     */
    static boolean isManagedKind(String factoryPid) {
        return isPluginKind(factoryPid) && !factoryPid.equals(CONTROLLER_KIND);
    }

    /** What the instance of configuration {@code pid} waits for: the condition registered for it here. */
    static String conditionFilter(String pid) {
        return "(&(osgi.condition.id=" + CONDITION_ID + ")(" + CONDITION_PID + "=" + ConfigurationValues.filterValue(pid) + "))";
    }

    /**
     * A missing startmode is Activated, as the metatype's default. One that is not a start mode is
     * Deactivated rather than Activated: a misspelt "Deactivated" or "Unavailable" must not leave
     * running a plugin its operator meant to keep off, while a plugin left off by mistake is visible
     * (the ERROR line, its status, the ready line) and harmless.
     */
    static StartMode startMode(Map<String, Object> properties, Settings settings) {
        return properties.get(PluginConstants.STARTMODE) == null ? StartMode.Activated
                : settings.choice(PluginConstants.STARTMODE, StartMode.class, StartMode.Deactivated);
    }

    /** Lets the instance of configuration {@code pid} run; registering twice keeps one condition. */
    void register(String pid, String callsign) {
        registered.computeIfAbsent(pid, p -> {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(Condition.CONDITION_ID, CONDITION_ID);
            properties.put(CONDITION_PID, p);
            properties.put(PluginConstants.CALLSIGN, callsign);
            return registrar.register(properties);
        });
    }

    /** Stops the instance of configuration {@code pid}, if its condition is registered. */
    void withdraw(String pid) {
        Runnable withdrawal = registered.remove(pid);
        if (withdrawal != null) {
            withdrawal.run();
        }
    }

    boolean isRegistered(String pid) {
        return registered.containsKey(pid);
    }

    void withdrawAll() {
        registered.keySet().forEach(this::withdraw);
    }
}

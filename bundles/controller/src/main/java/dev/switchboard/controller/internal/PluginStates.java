package dev.switchboard.controller.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.condition.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.InterfaceVersion;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.api.plugin.PluginInterfaces;
import dev.switchboard.api.plugin.StartMode;

/**
 * The state of every plugin instance. A configured instance runs while its condition is
 * registered here: at start for {@code startmode=Activated}, and on request. What really runs is
 * read from the plugin services and from SCR, so a failed activation shows as such.
 */
@Component(service = PluginStates.class, immediate = true)
public class PluginStates implements ConfigurationListener {

    /** A change of state, as Thunder's {@code statechange} event carries it. */
    public record StateChange(String callsign, String state, String reason) {
    }

    static final String CONDITION_ID = "dev.switchboard.plugin";
    private static final String CONTROLLER_KIND = PluginConstants.FACTORY_PID_PREFIX + "controller";
    private static final String PLUGIN_CONFIGURATIONS =
            "(&(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + PluginConstants.FACTORY_PID_PREFIX + "*)(callsign=*))";
    private static final Logger LOG = LoggerFactory.getLogger(PluginStates.class);

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final ServiceComponentRuntime runtime;
    private final Map<String, ServiceRegistration<Condition>> conditions = new ConcurrentHashMap<>();
    private final Map<String, ServiceReference<Plugin>> running = new ConcurrentHashMap<>();
    private final Map<String, String> reasons = new ConcurrentHashMap<>();
    /** Configuration PID to the callsign and startmode it had, to see what an update changed. */
    private final Map<String, String[]> seen = new ConcurrentHashMap<>();
    private final List<Consumer<StateChange>> listeners = new CopyOnWriteArrayList<>();
    private final ServiceRegistration<ConfigurationListener> listener;
    private volatile boolean active;

    @Activate
    public PluginStates(BundleContext context, @Reference ConfigurationAdmin configurationAdmin,
            @Reference ServiceComponentRuntime runtime) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
        this.runtime = runtime;
        active = true;
        // Listen before listing: a configuration created in between is then seen by one or the
        // other (follow is idempotent), never missed. DS would register the listener only after
        // this constructor returns.
        listener = context.registerService(ConfigurationListener.class, this, null);
        for (Configuration configuration : pluginConfigurations(PLUGIN_CONFIGURATIONS)) {
            follow(configuration, "Startup");
        }
    }

    @Deactivate
    void deactivate() {
        active = false;
        listener.unregister();
        conditions.values().forEach(ServiceRegistration::unregister);
        conditions.clear();
    }

    static boolean isManagedKind(String factoryPid) {
        return factoryPid.startsWith(PluginConstants.FACTORY_PID_PREFIX) && !factoryPid.equals(CONTROLLER_KIND);
    }

    static String conditionFilter(String callsign) {
        return "(&(osgi.condition.id=" + CONDITION_ID + ")(" + PluginConstants.CALLSIGN + "=" + escape(callsign) + "))";
    }

    private static String escape(String value) {
        return value.replaceAll("([\\\\*()])", "\\\\$1");
    }

    /*
     * Binds references, not service objects: the Controller plugin is itself a plugin and uses this
     * component, so getting plugin services here while it activates would be a cycle.
     */
    @Reference(service = Plugin.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPlugin(ServiceReference<Plugin> plugin) {
        if (plugin.getProperty(PluginConstants.CALLSIGN) instanceof String callsign) {
            running.put(callsign, plugin);
            fire(callsign, "activated", reasons.getOrDefault(callsign, "Automatic"));
        }
    }

    void unbindPlugin(ServiceReference<Plugin> plugin) {
        if (plugin.getProperty(PluginConstants.CALLSIGN) instanceof String callsign && running.remove(callsign, plugin)) {
            fire(callsign, "deactivated", active ? reasons.getOrDefault(callsign, "Automatic") : "Shutdown");
        }
    }

    /** The class of a running plugin, read when status is asked for. */
    private Class<?> pluginClass(ServiceReference<Plugin> reference) {
        Plugin plugin = context.getService(reference);
        try {
            return plugin == null ? null : plugin.getClass();
        } finally {
            if (plugin != null) {
                context.ungetService(reference);
            }
        }
    }

    void listen(Consumer<StateChange> listener) {
        listeners.add(listener);
    }

    void unlisten(Consumer<StateChange> listener) {
        listeners.remove(listener);
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getFactoryPid() == null || !isManagedKind(event.getFactoryPid())) {
            return;
        }
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            String[] was = seen.remove(event.getPid());
            if (was != null) {
                withdraw(was[0]);
            }
            return;
        }
        pluginConfigurations("(" + Constants.SERVICE_PID + "=" + escape(event.getPid()) + ")")
                .forEach(configuration -> follow(configuration, "Automatic"));
    }

    /** Registers or withdraws the condition of a configured instance when its startmode says so. */
    private synchronized void follow(Configuration configuration, String reason) {
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null || !(properties.get(PluginConstants.CALLSIGN) instanceof String callsign)
                || !isManagedKind(String.valueOf(configuration.getFactoryPid()))) {
            return;
        }
        StartMode mode = startMode(properties);
        String[] was = seen.put(configuration.getPid(), new String[] { callsign, mode.name() });
        if (was != null && was[0].equals(callsign) && was[1].equals(mode.name())) {
            return;
        }
        if (was != null && !was[0].equals(callsign)) {
            withdraw(was[0]);
        }
        if (mode == StartMode.Activated) {
            reasons.put(callsign, reason);
            register(callsign);
        } else {
            reasons.put(callsign, reason);
            withdraw(callsign);
        }
    }

    private static StartMode startMode(Dictionary<String, Object> properties) {
        Object value = properties.get(PluginConstants.STARTMODE);
        for (StartMode mode : StartMode.values()) {
            if (mode.name().equalsIgnoreCase(String.valueOf(value))) {
                return mode;
            }
        }
        if (value != null) {
            LOG.warn("Unknown startmode {} of {}; using Activated", LogText.quote(value),
                    LogText.quote(properties.get(PluginConstants.CALLSIGN)));
        }
        return StartMode.Activated;
    }

    /** Activates a configured plugin. Throws when the plugin's activation fails. */
    void activate(String callsign) {
        requireConfigured(callsign);
        reasons.put(callsign, "Requested");
        withdraw(callsign);
        register(callsign);
        String failure = activationFailure(callsign);
        if (failure != null) {
            fire(callsign, "deactivated", "InitializationFailed");
            throw new JsonRpcException(ErrorCode.ILLEGAL_STATE.code(), ErrorCode.ILLEGAL_STATE.message(),
                    "InitializationFailed: " + failure);
        }
    }

    void deactivate(String callsign) {
        requireConfigured(callsign);
        reasons.put(callsign, "Requested");
        withdraw(callsign);
    }

    /** The configuration of a plugin instance (Controller included), or -31022 when there is none. */
    Configuration requireConfigured(String callsign) {
        List<Configuration> found = pluginConfigurations(
                "(&(" + PluginConstants.CALLSIGN + "=" + escape(callsign) + ")" + PLUGIN_CONFIGURATIONS + ")");
        if (found.isEmpty()) {
            throw new JsonRpcException(ErrorCode.UNKNOWN_KEY.code(), ErrorCode.UNKNOWN_KEY.message(), "no plugin " + callsign);
        }
        return found.get(0);
    }

    List<JController.PluginStatus> status(String callsign) {
        List<Configuration> configurations = callsign == null ? pluginConfigurations(PLUGIN_CONFIGURATIONS)
                : List.of(requireConfigured(callsign));
        List<JController.PluginStatus> status = new ArrayList<>();
        for (Configuration configuration : configurations) {
            Dictionary<String, Object> properties = configuration.getProperties();
            String name = String.valueOf(properties.get(PluginConstants.CALLSIGN));
            ServiceReference<Plugin> reference = running.get(name);
            // a failed instance may still have a registered service; getting it would only log an error
            boolean failed = activationFailure(name) != null;
            Class<?> type = reference == null || failed ? null : pluginClass(reference);
            String state;
            String reason = reasons.getOrDefault(name, "Startup");
            if (type != null) {
                state = "activated";
            } else if (failed) {
                state = "deactivated";
                reason = "InitializationFailed";
            } else if (conditions.containsKey(name)) {
                state = "precondition";
            } else {
                state = startMode(properties) == StartMode.Unavailable ? "unavailable" : "deactivated";
            }
            List<InterfaceVersion> versions = type == null ? List.of() : PluginInterfaces.versions(type);
            status.add(new JController.PluginStatus(name, type == null ? null : bundleName(type),
                    type == null ? configuration.getFactoryPid() : type.getName(), state, reason,
                    startMode(properties).name(), versions, ConfigurationValues.ownProperties(properties)));
        }
        return status;
    }

    private static String bundleName(Class<?> type) {
        Bundle bundle = FrameworkUtil.getBundle(type);
        return bundle == null ? null : bundle.getSymbolicName();
    }

    /** SCR's failure text when the instance with this callsign failed to activate, else null. */
    private String activationFailure(String callsign) {
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION
                        && callsign.equals(configuration.properties.get(PluginConstants.CALLSIGN))) {
                    return configuration.failure;
                }
            }
        }
        return null;
    }

    private void register(String callsign) {
        conditions.computeIfAbsent(callsign, c -> {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(Condition.CONDITION_ID, CONDITION_ID);
            properties.put(PluginConstants.CALLSIGN, c);
            return context.registerService(Condition.class, Condition.INSTANCE, properties);
        });
    }

    private void withdraw(String callsign) {
        ServiceRegistration<Condition> registration = conditions.remove(callsign);
        if (registration != null) {
            registration.unregister();
        }
    }

    private List<Configuration> pluginConfigurations(String filter) {
        try {
            Configuration[] found = configurationAdmin.listConfigurations(filter);
            return found == null ? List.of() : List.of(found);
        } catch (IOException | InvalidSyntaxException e) {
            LOG.error("Cannot list configurations {}", filter, e);
            return List.of();
        }
    }

    private void fire(String callsign, String state, String reason) {
        StateChange change = new StateChange(callsign, state, reason);
        LOG.info("Plugin {} {} ({})", callsign, state, reason);
        for (Consumer<StateChange> listener : listeners) {
            listener.accept(change);
        }
    }
}

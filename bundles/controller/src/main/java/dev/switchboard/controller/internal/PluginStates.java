package dev.switchboard.controller.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
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
import dev.switchboard.api.config.Settings;
import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.InterfaceVersion;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.api.plugin.PluginInterfaces;
import dev.switchboard.api.plugin.StartMode;

/**
 * The state of every plugin instance. A configured instance runs while its condition is
 * registered here: at start for {@code startmode=Activated}, and on request, and only while its
 * configuration holds its callsign (see {@link CallsignClaims}). What really runs is read from the
 * plugin services and from SCR, so a failed activation shows as such.
 */
@Component(service = PluginStates.class, immediate = true)
public class PluginStates implements ConfigurationListener {

    /** A change of state, as Thunder's {@code statechange} event carries it. */
    public record StateChange(String callsign, String state, String reason) {
    }

    static final String CONDITION_ID = "dev.switchboard.plugin";
    /** Condition property naming the configuration whose instance the condition lets run. */
    static final String CONDITION_PID = "switchboard.pid";
    static final String DUPLICATE_CALLSIGN = "DuplicateCallsign";
    static final String UNKNOWN_CLASSNAME = "UnknownClassname";
    static final String INITIALIZATION_FAILED = "InitializationFailed";
    private static final String CONTROLLER_KIND = PluginConstants.FACTORY_PID_PREFIX + "controller";
    private static final String PLUGIN_CONFIGURATIONS =
            "(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + PluginConstants.FACTORY_PID_PREFIX + "*)";
    private static final Logger LOG = LoggerFactory.getLogger(PluginStates.class);

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final PluginKinds kinds;
    private final CallsignClaims claims = new CallsignClaims();
    /** Conditions by configuration PID. */
    private final Map<String, ServiceRegistration<Condition>> conditions = new ConcurrentHashMap<>();
    private final Map<String, ServiceReference<Plugin>> running = new ConcurrentHashMap<>();
    private final Map<String, String> reasons = new ConcurrentHashMap<>();
    /** Configuration PID to the callsign and startmode it had, to see what an update changed. */
    private final Map<String, List<String>> seen = new ConcurrentHashMap<>();
    private final List<Consumer<StateChange>> listeners = new CopyOnWriteArrayList<>();
    private final ServiceRegistration<ConfigurationListener> listener;
    private volatile boolean active;

    @Activate
    public PluginStates(BundleContext context, @Reference ConfigurationAdmin configurationAdmin,
            @Reference ServiceComponentRuntime runtime) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
        this.kinds = new PluginKinds(context, runtime);
        active = true;
        // Listen before listing: a configuration created in between is then seen by one or the
        // other (follow is idempotent), never missed. DS would register the listener only after
        // this constructor returns.
        listener = context.registerService(ConfigurationListener.class, this, null);
        List<Configuration> existing = new ArrayList<>(pluginConfigurations(PLUGIN_CONFIGURATIONS));
        existing.sort(STARTUP_ORDER);
        for (Configuration configuration : existing) {
            follow(configuration, "Startup");
        }
    }

    /**
     * Which of the configurations present at start claims a callsign first: those of {@code etc/}
     * files and Config Admin before those imported from plugin files (a plugin file claiming a
     * taken callsign is refused when imported), then by PID, so the same files always give the same holder.
     */
    private static final Comparator<Configuration> STARTUP_ORDER = Comparator
            .comparing((Configuration c) -> c.getProperties() != null
                    && c.getProperties().get(ConfigurationValues.IMPORTED_FROM) != null)
            .thenComparing(Configuration::getPid);

    @Deactivate
    void deactivate() {
        active = false;
        listener.unregister();
        conditions.values().forEach(ServiceRegistration::unregister);
        conditions.clear();
    }

    /** Whether configurations of this factory PID are plugin instances, each claiming its callsign. */
    static boolean isPluginKind(String factoryPid) {
        return factoryPid.startsWith(PluginConstants.FACTORY_PID_PREFIX);
    }

    /**
     * Whether the instances of this factory PID wait for their condition. Not the Controller's: it
     * uses this component, so registering its condition while this one activates would be a cycle.
     * A Controller configuration refused its callsign fails its activation instead.
     */
    static boolean isManagedKind(String factoryPid) {
        return isPluginKind(factoryPid) && !factoryPid.equals(CONTROLLER_KIND);
    }

    /** What the instance of configuration {@code pid} waits for: the condition this class registers for it. */
    static String conditionFilter(String pid) {
        return "(&(osgi.condition.id=" + CONDITION_ID + ")(" + CONDITION_PID + "=" + escape(pid) + "))";
    }

    static String escape(String value) {
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

    void listen(Consumer<StateChange> listener) {
        listeners.add(listener);
    }

    void unlisten(Consumer<StateChange> listener) {
        listeners.remove(listener);
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getFactoryPid() == null || !isPluginKind(event.getFactoryPid())) {
            return;
        }
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            forget(event.getPid());
            return;
        }
        configuration(event.getPid()).ifPresent(configuration -> follow(configuration, "Automatic"));
    }

    private Optional<Configuration> configuration(String pid) {
        return pluginConfigurations("(" + Constants.SERVICE_PID + "=" + escape(pid) + ")").stream().findFirst();
    }

    /** A configuration was deleted: its instance stops, and a configuration refused its callsign may take it. */
    private synchronized void forget(String pid) {
        seen.remove(pid);
        withdraw(pid);
        handOver(claims.release(pid));
    }

    private void handOver(CallsignClaims.Claim next) {
        if (next != null) {
            LOG.info("Callsign {} is free: {} takes it", next.callsign(), next);
            seen.remove(next.pid());
            configuration(next.pid()).ifPresent(configuration -> follow(configuration, "Automatic"));
        }
    }

    /**
     * Registers or withdraws the condition of a configured instance as its callsign claim and its
     * startmode say. A setting it cannot take (no callsign, an unknown startmode) is logged once, as an ERROR.
     */
    private synchronized void follow(Configuration configuration, String reason) {
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null || !isPluginKind(String.valueOf(configuration.getFactoryPid()))) {
            return;
        }
        String pid = configuration.getPid();
        Map<String, Object> values = asMap(properties);
        Settings settings = new Settings(pid, values);
        String callsign = settings.text(PluginConstants.CALLSIGN, null);
        StartMode mode = startMode(values, settings);
        List<String> state = Arrays.asList(callsign, mode.name());
        if (state.equals(seen.put(pid, state))) {
            return;
        }
        settings.rejections().forEach(LOG::error);
        CallsignClaims.Claim before = claims.of(pid);
        if (before != null && !before.callsign().equals(callsign)) {
            withdraw(pid);
            handOver(claims.release(pid));
        }
        if (callsign == null) {
            if (settings.rejections().isEmpty()) {
                LOG.error("Configuration {} has no callsign: its plugin is not started", pid);
            }
            return;
        }
        CallsignClaims.Claim claim = new CallsignClaims.Claim(pid, callsign, ConfigurationValues.origin(properties));
        CallsignClaims.Claim holder = claims.claim(claim);
        if (holder != claim) {
            if (before == null || !before.callsign().equals(callsign)) {
                LOG.error("Callsign {} of {} is refused: {} already has it; callsigns are unique",
                        LogText.quote(callsign), claim, holder);
            }
            withdraw(pid);
            return;
        }
        reasons.put(callsign, reason);
        if (mode == StartMode.Activated && isManagedKind(configuration.getFactoryPid())) {
            register(pid, callsign);
        } else {
            withdraw(pid);
        }
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

    private static Map<String, Object> asMap(Dictionary<String, Object> properties) {
        Map<String, Object> map = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            map.put(key, properties.get(key));
        }
        return map;
    }

    /** Activates a configured plugin. Throws when the plugin's activation fails. */
    void activate(String callsign) {
        String pid = requireConfigured(callsign).getPid();
        reasons.put(callsign, "Requested");
        withdraw(pid);
        register(pid, callsign);
        String failure = kinds.activationFailure(pid);
        if (failure != null) {
            fire(callsign, "deactivated", INITIALIZATION_FAILED);
            throw new JsonRpcException(ErrorCode.ILLEGAL_STATE.code(), ErrorCode.ILLEGAL_STATE.message(),
                    INITIALIZATION_FAILED + ": " + failure);
        }
    }

    void deactivate(String callsign) {
        String pid = requireConfigured(callsign).getPid();
        reasons.put(callsign, "Requested");
        withdraw(pid);
    }

    /**
     * The configuration holding a callsign (Controller included), or -31022 when there is none. A
     * configuration refused the callsign is never the one answered.
     */
    Configuration requireConfigured(String callsign) {
        CallsignClaims.Claim holder = claims.holder(callsign);
        return (holder == null ? Optional.<Configuration>empty() : configuration(holder.pid()))
                .orElseThrow(() -> new JsonRpcException(ErrorCode.UNKNOWN_KEY.code(), ErrorCode.UNKNOWN_KEY.message(),
                        "no plugin " + callsign));
    }

    /** The configuration holding the callsign this configuration claims, when that is another; else null. */
    CallsignClaims.Claim refusal(String pid) {
        return claims.refusal(pid);
    }

    /**
     * Whether each configuration file in FileInstall's folder ({@code etc/}) has reached Config Admin:
     * FileInstall reads them only after the framework has started. The logging configuration is among
     * them, and Pax Logging drops what is logged while it applies it.
     */
    boolean etcFilesLoaded() {
        String folder = context.getProperty("felix.fileinstall.dir");
        if (folder == null) {
            return true;
        }
        Set<Path> loaded = new HashSet<>();
        for (Configuration configuration : pluginConfigurations(null)) {
            Object file = configuration.getProperties() == null ? null
                    : configuration.getProperties().get(ConfigurationValues.FILEINSTALL_FILENAME);
            if (file != null) {
                loaded.add(Path.of(URI.create(file.toString())).normalize());
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(folder), "*.{cfg,config}")) {
            for (Path file : files) {
                if (!loaded.contains(file.toAbsolutePath().normalize())) {
                    return false;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot list {}: {}", folder, e.toString());
        }
        return true;
    }

    /** Whether a bundle provides the plugin kind configured by this factory PID. */
    boolean providesKind(String factoryPid) {
        return kinds.describe(factoryPid) != null;
    }

    List<JController.PluginStatus> status(String callsign) {
        List<Configuration> configurations = callsign == null ? pluginConfigurations(PLUGIN_CONFIGURATIONS)
                : List.of(requireConfigured(callsign));
        List<JController.PluginStatus> status = new ArrayList<>();
        for (Configuration configuration : configurations) {
            try {
                CallsignClaims.Claim claim = claims.of(configuration.getPid());
                if (claim != null) {
                    status.add(status(configuration, claim));
                }
            } catch (IllegalStateException deletedMeanwhile) {
                // listed a moment ago, gone now: it has no status any more
            }
        }
        return status;
    }

    private JController.PluginStatus status(Configuration configuration, CallsignClaims.Claim claim) {
        Dictionary<String, Object> properties = configuration.getProperties();
        String name = claim.callsign();
        Map<String, Object> values = asMap(properties);
        StartMode mode = startMode(values, new Settings(claim.pid(), values));
        CallsignClaims.Claim holder = claims.refusal(claim.pid());
        ComponentConfigurationDTO instance = kinds.instance(claim.pid());
        ComponentDescriptionDTO kind = instance != null ? instance.description : kinds.describe(configuration.getFactoryPid());
        Class<?> type = kind == null ? null : kinds.implementation(kind);
        String state;
        String reason = reasons.getOrDefault(name, "Startup");
        String detail = null;
        if (holder != null) {
            state = "unavailable";
            reason = DUPLICATE_CALLSIGN;
            detail = "callsign " + name + " is held by " + holder;
        } else if (kind == null) {
            state = "unavailable";
            reason = UNKNOWN_CLASSNAME;
            detail = "no installed bundle provides plugin kind " + configuration.getFactoryPid();
        } else if (instance != null && instance.state == ComponentConfigurationDTO.ACTIVE) {
            state = "activated";
        } else if (PluginKinds.activationFailure(instance) != null) {
            state = "deactivated";
            reason = INITIALIZATION_FAILED;
            detail = PluginKinds.activationFailure(instance);
        } else if (conditions.containsKey(claim.pid())) {
            state = "precondition";
            detail = PluginKinds.waitingFor(instance);
        } else {
            state = mode == StartMode.Unavailable ? "unavailable" : "deactivated";
        }
        boolean activated = "activated".equals(state) && type != null;
        List<InterfaceVersion> versions = activated ? PluginInterfaces.versions(type) : List.of();
        return new JController.PluginStatus(name, kind == null ? null : kind.bundle.symbolicName,
                kind == null ? configuration.getFactoryPid() : kind.implementationClass, state, reason, detail,
                mode.name(), versions, ConfigurationValues.ownProperties(properties));
    }

    /**
     * Whether every plugin configuration in Config Admin has been followed (its claim and condition
     * settled): its configuration event may still be on its way.
     */
    boolean followedAll() {
        return pluginConfigurations(PLUGIN_CONFIGURATIONS).stream().allMatch(c -> seen.containsKey(c.getPid()));
    }

    private void register(String pid, String callsign) {
        conditions.computeIfAbsent(pid, p -> {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(Condition.CONDITION_ID, CONDITION_ID);
            properties.put(CONDITION_PID, p);
            properties.put(PluginConstants.CALLSIGN, callsign);
            return context.registerService(Condition.class, Condition.INSTANCE, properties);
        });
    }

    private void withdraw(String pid) {
        ServiceRegistration<Condition> registration = conditions.remove(pid);
        if (registration != null) {
            registration.unregister();
        }
    }

    private List<Configuration> pluginConfigurations(String filter) {
        try {
            Configuration[] found = configurationAdmin.listConfigurations(filter);
            return found == null ? List.of() : List.of(found);
        } catch (IOException | InvalidSyntaxException e) {
            LOG.error("Cannot list configurations {}: {}", filter, e.toString());
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

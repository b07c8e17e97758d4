package dev.switchboard.controller.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashSet;
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
import org.osgi.service.condition.Condition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.config.Settings;
import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.api.plugin.PluginConstants;
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

    private static final String PLUGIN_CONFIGURATIONS =
            "(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=" + PluginConstants.FACTORY_PID_PREFIX + "*)";
    private static final Logger LOG = LoggerFactory.getLogger(PluginStates.class);

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final PluginKinds kinds;
    private final PluginStatusReader statusReader;
    private final CallsignClaims claims = new CallsignClaims();
    private final StartModeConditions conditions;
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
        this.statusReader = new PluginStatusReader(kinds);
        this.conditions = new StartModeConditions(properties -> {
            ServiceRegistration<Condition> registration =
                    context.registerService(Condition.class, Condition.INSTANCE, properties);
            return registration::unregister;
        });
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
        conditions.withdrawAll();
    }

    /** Whether a plugin configuration holds this callsign. */
    boolean isConfigured(String callsign) {
        return claims.holder(callsign) != null;
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
            fire(callsign, PluginStatusReader.ACTIVATED, reasons.getOrDefault(callsign, "Automatic"));
        }
    }

    void unbindPlugin(ServiceReference<Plugin> plugin) {
        if (plugin.getProperty(PluginConstants.CALLSIGN) instanceof String callsign && running.remove(callsign, plugin)) {
            fire(callsign, PluginStatusReader.DEACTIVATED,
                    active ? reasons.getOrDefault(callsign, "Automatic") : PluginStatusReader.SHUTDOWN);
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
        if (event.getFactoryPid() == null || !StartModeConditions.isPluginKind(event.getFactoryPid())) {
            return;
        }
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            forget(event.getPid());
            return;
        }
        configuration(event.getPid()).ifPresent(configuration -> follow(configuration, "Automatic"));
    }

    private Optional<Configuration> configuration(String pid) {
        return pluginConfigurations("(" + Constants.SERVICE_PID + "=" + ConfigurationValues.filterValue(pid) + ")").stream().findFirst();
    }

    /** A configuration was deleted: its instance stops, and a configuration refused its callsign may take it. */
    private synchronized void forget(String pid) {
        seen.remove(pid);
        conditions.withdraw(pid);
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
        if (properties == null || !StartModeConditions.isPluginKind(String.valueOf(configuration.getFactoryPid()))) {
            return;
        }
        String pid = configuration.getPid();
        Map<String, Object> values = PluginStatusReader.asMap(properties);
        Settings settings = new Settings(pid, values);
        String callsign = settings.text(PluginConstants.CALLSIGN, null);
        StartMode mode = StartModeConditions.startMode(values, settings);
        List<String> state = Arrays.asList(callsign, mode.name());
        if (state.equals(seen.put(pid, state))) {
            return;
        }
        settings.rejections().forEach(LOG::error);
        CallsignClaims.Claim before = claims.of(pid);
        if (before != null && !before.callsign().equals(callsign)) {
            conditions.withdraw(pid);
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
            conditions.withdraw(pid);
            return;
        }
        reasons.put(callsign, reason);
        if (mode == StartMode.Activated && StartModeConditions.isManagedKind(configuration.getFactoryPid())) {
            conditions.register(pid, callsign);
        } else {
            conditions.withdraw(pid);
        }
    }

    /** Activates a configured plugin. Throws when the plugin's activation fails. */
    void activate(String callsign) {
        String pid = requireConfigured(callsign).getPid();
        reasons.put(callsign, "Requested");
        conditions.withdraw(pid);
        conditions.register(pid, callsign);
        String failure = kinds.activationFailure(pid);
        if (failure != null) {
            fire(callsign, PluginStatusReader.DEACTIVATED, PluginStatusReader.INITIALIZATION_FAILED);
            throw new JsonRpcException(ErrorCode.ILLEGAL_STATE.code(), ErrorCode.ILLEGAL_STATE.message(),
                    PluginStatusReader.INITIALIZATION_FAILED + ": " + failure);
        }
    }

    void deactivate(String callsign) {
        String pid = requireConfigured(callsign).getPid();
        reasons.put(callsign, "Requested");
        conditions.withdraw(pid);
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
        return statusReader.read(new PluginStatusReader.Facts(configuration.getFactoryPid(),
                configuration.getProperties(), claim, claims.refusal(claim.pid()),
                reasons.getOrDefault(claim.callsign(), "Startup"), conditions.isRegistered(claim.pid())));
    }

    /**
     * Whether every plugin configuration in Config Admin has been followed (its claim and condition
     * settled): its configuration event may still be on its way.
     */
    boolean followedAll() {
        return pluginConfigurations(PLUGIN_CONFIGURATIONS).stream().allMatch(c -> seen.containsKey(c.getPid()));
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

package dev.switchboard.controller.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.config.Settings;
import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.EventSink;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.api.plugin.StateControl;
import dev.switchboard.api.security.SecurityOfficer;
import dev.switchboard.rpc.metrics.RpcLinks;
import dev.switchboard.rpc.metrics.RpcMetrics;

/** The {@code Controller} plugin: Thunder's view of the plugins over JSON-RPC. */
@Component(service = Plugin.class, configurationPid = "dev.switchboard.controller",
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = ControllerPlugin.Config.class, factory = true)
public class ControllerPlugin implements Plugin, JController {

    @ObjectClassDefinition(name = "Switchboard Controller plugin")
    public @interface Config {
        String callsign() default PluginConstants.CONTROLLER;

        @AttributeDefinition(options = { @Option(value = "Activated"), @Option(value = "Deactivated"),
            @Option(value = "Unavailable") })
        String startmode() default "Activated";

        @AttributeDefinition(description = "Let reboot (and harakiri) restart the host; only true turns it on")
        boolean allowReboot() default false;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ControllerPlugin.class);
    private static final Duration REBOOT_DELAY = Duration.ofMillis(500);

    private final PluginStates states;
    private final BundleContext context;
    private final Consumer<PluginStates.StateChange> forwarder;
    private final HostFacts host;
    private final Clones clones;
    private final ConfigurationFiles files;
    private final boolean allowReboot;
    private final String callsign;
    private volatile EventSink events = EventSink.DISCARD;
    private volatile boolean shutdownAnnounced;
    private final Set<ServiceReference<SecurityOfficer>> officers = ConcurrentHashMap.newKeySet();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RpcMetrics rpcMetrics;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RpcLinks rpcLinks;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MetaTypeService metatype;

    private final ConfigurationCheck check;

    @Activate
    public ControllerPlugin(@Reference PluginStates states, @Reference ConfigurationAdmin configurationAdmin,
            BundleContext context, Map<String, Object> properties) {
        String pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        CallsignClaims.Claim holder = states.refusal(pid);
        if (holder != null) {
            throw new IllegalStateException("callsign " + properties.get(PluginConstants.CALLSIGN) + " is held by " + holder);
        }
        Settings settings = new Settings(pid, properties);
        settings.unknownKeyWarnings(Config.class).forEach(LOG::warn);
        allowReboot = settings.flag("allowReboot", false);
        settings.rejections().forEach(LOG::error);
        this.callsign = settings.text(PluginConstants.CALLSIGN, PluginConstants.CONTROLLER);
        this.states = states;
        this.context = context;
        this.check = new ConfigurationCheck(context);
        this.host = new HostFacts(hostVersion(context), System::getenv);
        String folder = context.getProperty("felix.fileinstall.dir");
        this.files = new ConfigurationFiles(configurationAdmin, folder == null ? null : Path.of(folder).toAbsolutePath());
        this.clones = new Clones(configurationAdmin, states, files);
        this.forwarder = change -> {
            if (!shutdownAnnounced) {
                events.emit("statechange", change.callsign(), change);
            }
        };
        states.listen(forwarder);
        context.addBundleListener(shutdown);
    }

    /**
     * When the host starts to stop, before any bundle stops (the transport and its sockets with them), every
     * activated plugin is announced Deactivated for reason Shutdown; what the stopping bundles then report is
     * not sent again.
     */
    private final SynchronousBundleListener shutdown = event -> {
        if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
            announceShutdown();
        }
    };

    private void announceShutdown() {
        for (PluginStatus plugin : states.status(null)) {
            if (PluginStatusReader.ACTIVATED.equals(plugin.state())) {
                events.emit("statechange", plugin.callsign(), new PluginStates.StateChange(plugin.callsign(),
                        PluginStatusReader.DEACTIVATED, PluginStatusReader.SHUTDOWN));
            }
        }
        shutdownAnnounced = true;
    }

    /** The launcher names the distribution's version; elsewhere (Karaf) the Controller bundle's is the host's. */
    private static Version hostVersion(BundleContext context) {
        String version = context.getProperty("switchboard.version");
        try {
            return version == null ? context.getBundle().getVersion() : Version.parseVersion(version.replace("-SNAPSHOT", ".SNAPSHOT"));
        } catch (IllegalArgumentException e) {
            return context.getBundle().getVersion();
        }
    }

    @Reference(service = SecurityOfficer.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    void bindOfficer(ServiceReference<SecurityOfficer> officer) {
        boolean before = !officers.isEmpty();
        officers.add(officer);
        announceSecurity(before);
    }

    void unbindOfficer(ServiceReference<SecurityOfficer> officer) {
        boolean before = !officers.isEmpty();
        officers.remove(officer);
        announceSecurity(before);
    }

    private void announceSecurity(boolean before) {
        if (before != !officers.isEmpty()) {
            events.emit("subsystemchange", List.of(security()));
        }
    }

    /** Security is the subsystem Switchboard knows: active while a security officer decides the calls. */
    private JController.Subsystem security() {
        return new JController.Subsystem("Security", !officers.isEmpty());
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(shutdown);
        states.unlisten(forwarder);
    }

    @Override
    public void attach(EventSink sink) {
        events = sink;
    }

    @Override
    public List<PluginStatus> status(String callsign) {
        return states.status(callsign);
    }

    @Override
    public List<PluginStatus> services(String callsign) {
        return status(callsign);
    }

    @Override
    public void activate(Callsign params) {
        states.activate(requireOther(params));
    }

    @Override
    public void deactivate(Callsign params) {
        states.deactivate(requireOther(params));
    }

    @Override
    public void hibernate(HibernateParams params) {
        String name = requireOther(new Callsign(params.callsign()));
        states.requireConfigured(name);
        throw new JsonRpcException(ErrorCode.IN_PROCESS.code(), ErrorCode.IN_PROCESS.message(),
                name + " runs inside the host and cannot be hibernated");
    }

    @Override
    public void suspend(Callsign params) {
        stateControl(requireOther(params)).suspend();
        events.emit("statecontrolstatechange", params.callsign(), Map.of("callsign", params.callsign(), "state", "Suspended"));
    }

    @Override
    public void resume(Callsign params) {
        stateControl(requireOther(params)).resume();
        events.emit("statecontrolstatechange", params.callsign(), Map.of("callsign", params.callsign(), "state", "Resumed"));
    }

    /** The running plugin, when it can be suspended; -31022 when none has that callsign, -31044 otherwise. */
    private StateControl stateControl(String name) {
        states.requireConfigured(name);
        try {
            for (ServiceReference<Plugin> reference : context.getServiceReferences(Plugin.class,
                    "(" + PluginConstants.CALLSIGN + "=" + ConfigurationValues.filterValue(name) + ")")) {
                Plugin plugin = context.getService(reference);
                context.ungetService(reference); // held by its component, not by this lookup
                if (plugin instanceof StateControl control) {
                    return control;
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, "callsign " + name + " cannot be looked up");
        }
        throw new JsonRpcException(ErrorCode.NOT_SUPPORTED.code(), ErrorCode.NOT_SUPPORTED.message(),
                name + " is not running or cannot be suspended");
    }

    @Override
    public String cloneOf(CloneParams params) {
        return clones.cloneOf(params.callsign(), params.newcallsign());
    }

    @Override
    public void destroy(Callsign params) {
        clones.destroy(params.callsign());
    }

    @Override
    public void persist() {
        files.persist();
    }

    @Override
    public void storeconfig() {
        files.persist();
    }

    @Override
    public void reboot() {
        if (!allowReboot) {
            throw new JsonRpcException(ErrorCode.NOT_ALLOWED.code(), ErrorCode.NOT_ALLOWED.message(),
                    "reboot is off: allowReboot=true in the configuration of " + callsign + " turns it on");
        }
        LOG.warn("Restarting the host, as a reboot call asked");
        // after the answer is on its way: restarting stops the transport that sends it
        CompletableFuture.delayedExecutor(REBOOT_DELAY.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            try {
                context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).update();
            } catch (BundleException | IllegalStateException e) {
                LOG.error("The host cannot restart: {}", e.toString());
            }
        });
    }

    @Override
    public void harakiri() {
        reboot();
    }

    @Override
    public void startdiscovery(DiscoveryParams params) {
        if (params.ttl() != null && (params.ttl() < 1 || params.ttl() > 255)) {
            throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, "ttl must be 1..255");
        }
    }

    @Override
    public List<DiscoveryResult> discoveryresults() {
        return List.of();
    }

    @Override
    public String environment(String variable) {
        return host.environment(variable);
    }

    @Override
    public List<Subsystem> subsystems() {
        return List.of(security());
    }

    /** Thunder's link state of a WebSocket connection is {@code WebSocket}. */
    @Override
    public List<Link> links() {
        RpcLinks current = rpcLinks;
        return current == null ? List.of() : current.links().stream()
                .map(l -> new Link(l.remote(), "WebSocket", l.id(), l.activity(), l.callsign())).toList();
    }

    @Override
    public BuildInfo buildinfo() {
        RpcLinks current = rpcLinks;
        return HostFacts.buildInfo(current == null ? 0 : current.callThreads(),
                current == null ? 0 : current.callTimeoutMillis());
    }

    @Override
    public FrameworkVersion framework() {
        return host.framework();
    }

    @Override
    public FrameworkVersion frameworkVersion() {
        return host.framework();
    }

    @Override
    public List<MethodMetrics> metrics(String callsign) {
        RpcMetrics current = rpcMetrics;
        if (current == null) {
            return List.of();
        }
        List<Long> bounds = current.latencyBoundsMicros();
        return (callsign == null || callsign.isEmpty() ? current.snapshot() : current.snapshot(callsign)).stream()
                .map(m -> view(m, bounds)).toList();
    }

    static MethodMetrics view(dev.switchboard.rpc.metrics.MethodMetrics m, List<Long> boundsMicros) {
        Map<String, Long> codes = new LinkedHashMap<>();
        m.errorCodes().forEach((code, count) -> codes.put(String.valueOf(code), count));
        Map<String, Long> buckets = new LinkedHashMap<>();
        for (int i = 0; i < m.latencyBuckets().size(); i++) {
            long count = m.latencyBuckets().get(i);
            if (count > 0) {
                buckets.put(i < boundsMicros.size() ? millis(boundsMicros.get(i)).toPlainString() : "+Inf", count);
            }
        }
        double average = m.requests() == 0 ? 0 : millis(m.latencySumMicros() / m.requests()).doubleValue();
        return new MethodMetrics(m.callsign(), m.method(), m.requests(), m.errors(), codes, new Latency(m.requests(),
                millis(m.latencySumMicros()).doubleValue(), average, millis(m.latencyMaxMicros()).doubleValue(), buckets));
    }

    private static BigDecimal millis(long micros) {
        return BigDecimal.valueOf(micros, 3).stripTrailingZeros();
    }

    @Override
    public Map<String, Object> configuration(String callsign) {
        return ConfigurationValues.ownProperties(states.requireConfigured(requireIndex(callsign)).getProperties());
    }

    @Override
    public void configuration(String callsign, Map<String, Object> params) {
        Configuration configuration = states.requireConfigured(requireIndex(callsign));
        Map<String, String> problems = check.problems(metatype, configuration.getFactoryPid(), params);
        if (!problems.isEmpty()) {
            String detail = ConfigurationCheck.summary(problems, params);
            LOG.info("Configuration of {} refused: {}", LogText.quote(callsign), LogText.quote(detail));
            throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS.code(), ErrorCode.INVALID_PARAMETERS.message(),
                    Map.of("detail", detail, "errors", problems));
        }
        Dictionary<String, Object> current = configuration.getProperties();
        Dictionary<String, Object> next = new Hashtable<>();
        for (Enumeration<String> keys = current.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (ConfigurationValues.isReserved(key)) {
                next.put(key, current.get(key));
            }
        }
        params.forEach((key, value) -> {
            if (ConfigurationValues.isReserved(key)) {
                throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, key + " is not part of a plugin's own configuration");
            }
            Object property = ConfigurationValues.toProperty(key, value);
            if (ConfigurationValues.isSecret(key) && ConfigurationValues.MASK.equals(property)
                    && current.get(key) != null) {
                property = current.get(key); // the masked value read before, sent back: the secret stays
            }
            if (property != null) {
                next.put(key, property);
            }
        });
        try {
            configuration.update(next);
        } catch (IOException e) {
            throw new JsonRpcException(ErrorCode.ILLEGAL_STATE.code(), ErrorCode.ILLEGAL_STATE.message(),
                    "cannot store the configuration: " + e.getMessage());
        }
    }

    private static String requireIndex(String callsign) {
        if (callsign == null || callsign.isEmpty()) {
            throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, "name the plugin: configuration@<callsign>");
        }
        return callsign;
    }

    /** Thunder refuses to act on the Controller itself. */
    private static String requireOther(Callsign params) {
        if (params.callsign() == null || params.callsign().isEmpty()) {
            throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, "callsign is required");
        }
        if (PluginConstants.CONTROLLER.equals(params.callsign())) {
            throw new JsonRpcException(ErrorCode.NOT_ALLOWED, "the Controller cannot change its own state");
        }
        return params.callsign();
    }
}

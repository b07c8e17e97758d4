package dev.switchboard.controller.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.Settings;
import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.EventSink;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.api.plugin.PluginConstants;
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
    }

    private static final Logger LOG = LoggerFactory.getLogger(ControllerPlugin.class);

    private final PluginStates states;
    private final Consumer<PluginStates.StateChange> forwarder;
    private volatile EventSink events = EventSink.DISCARD;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RpcMetrics rpcMetrics;

    @Activate
    public ControllerPlugin(@Reference PluginStates states, Map<String, Object> properties) {
        String pid = String.valueOf(properties.get(Constants.SERVICE_PID));
        CallsignClaims.Claim holder = states.refusal(pid);
        if (holder != null) {
            throw new IllegalStateException("callsign " + properties.get(PluginConstants.CALLSIGN) + " is held by " + holder);
        }
        new Settings(pid, properties).unknownKeyWarnings(Config.class).forEach(LOG::warn);
        this.states = states;
        this.forwarder = change -> events.emit("statechange", change);
        states.listen(forwarder);
    }

    @Deactivate
    void deactivate() {
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
    public void activate(Callsign params) {
        states.activate(requireOther(params));
    }

    @Override
    public void deactivate(Callsign params) {
        states.deactivate(requireOther(params));
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

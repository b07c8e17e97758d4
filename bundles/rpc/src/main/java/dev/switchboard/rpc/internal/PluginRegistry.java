package dev.switchboard.rpc.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.plugin.EventSink;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.api.plugin.PluginConstants;

/**
 * The plugins the transport can call, by callsign. Plugins come and go while the host runs:
 * the reference is dynamic and greedy, so a plugin bundle update never restarts the transport.
 * A callsign names one plugin: when two services carry the same one (the Controller refuses a
 * second configuration claiming a callsign, but a service may be registered by other means), the
 * first registered answers, whatever their service ranking, so that no later service can take
 * over the calls of one that runs.
 */
@Component(service = PluginRegistry.class)
public class PluginRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);
    private static final Comparator<BoundPlugin> FIRST_COME = Comparator.comparingLong(BoundPlugin::serviceId);

    private final Map<String, List<BoundPlugin>> byCallsign = new ConcurrentHashMap<>();
    private final EventHub events = new EventHub(Json.MAPPER);

    @Reference(service = Plugin.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindPlugin(Plugin plugin, Map<String, Object> properties) {
        Object callsign = properties.get(PluginConstants.CALLSIGN);
        if (!(callsign instanceof String name) || name.isBlank()) {
            LOG.warn("Ignoring plugin {} (service {}): it has no callsign property", plugin.getClass().getName(),
                    properties.get(Constants.SERVICE_ID));
            return;
        }
        MethodTable methods;
        try {
            methods = new MethodTable(plugin.getClass(), Json.MAPPER);
        } catch (IllegalArgumentException e) {
            LOG.error("Ignoring plugin {}: {}", name, e.getMessage());
            return;
        }
        BoundPlugin bound = new BoundPlugin(name, plugin, methods, (Long) properties.get(Constants.SERVICE_ID));
        plugin.attach((event, index, params) -> events.publish(name, event, index, params));
        byCallsign.compute(name, (k, list) -> {
            List<BoundPlugin> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            next.add(bound);
            next.sort(FIRST_COME);
            if (next.size() > 1) {
                LOG.error("Callsign {} is provided again by {} (service {}); only {} (service {}), registered first, "
                        + "answers", name, plugin.getClass().getName(), bound.serviceId(),
                        next.get(0).plugin().getClass().getName(), next.get(0).serviceId());
            }
            return List.copyOf(next);
        });
        LOG.info("Plugin {} ({}) available, interfaces {}", name, plugin.getClass().getName(), methods.versions());
    }

    void updatedPlugin(Plugin plugin, Map<String, Object> properties) {
        unbindPlugin(plugin, properties);
        bindPlugin(plugin, properties);
    }

    void unbindPlugin(Plugin plugin, Map<String, Object> properties) {
        Object id = properties.get(Constants.SERVICE_ID);
        for (String callsign : byCallsign.keySet()) {
            byCallsign.computeIfPresent(callsign, (k, list) -> {
                List<BoundPlugin> rest = list.stream().filter(b -> !id.equals(b.serviceId())).toList();
                if (rest.size() < list.size()) {
                    plugin.attach(EventSink.DISCARD);
                    LOG.info("Plugin {} ({}) gone", callsign, plugin.getClass().getName());
                }
                return rest.isEmpty() ? null : rest;
            });
        }
    }

    /** @return the plugin answering for this callsign, or null */
    BoundPlugin find(String callsign) {
        List<BoundPlugin> bound = byCallsign.get(callsign);
        return bound == null ? null : bound.get(0);
    }

    EventHub events() {
        return events;
    }
}

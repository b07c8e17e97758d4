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
 */
@Component(service = PluginRegistry.class)
public class PluginRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);
    private static final Comparator<BoundPlugin> BEST_FIRST =
            Comparator.comparingInt(BoundPlugin::ranking).reversed().thenComparingLong(BoundPlugin::serviceId);

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
        BoundPlugin bound = new BoundPlugin(name, plugin, methods, (Long) properties.get(Constants.SERVICE_ID),
                properties.get(Constants.SERVICE_RANKING) instanceof Integer r ? r : 0);
        plugin.attach((event, index, params) -> events.publish(name, event, index, params));
        byCallsign.compute(name, (k, list) -> {
            List<BoundPlugin> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            next.add(bound);
            next.sort(BEST_FIRST);
            if (next.size() > 1) {
                LOG.warn("Callsign {} is provided {} times; service {} answers", name, next.size(), next.get(0).serviceId());
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

package dev.switchboard.rpc.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who registered for which plugin event under which id. Registrations outlive the plugin
 * instance, so a client keeps its events across a plugin update.
 */
final class EventHub {

    /** A connection that can receive notifications. */
    interface Subscriber {
        void send(String message);
    }

    private record Topic(String callsign, String event) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

    private final ObjectMapper mapper;
    private final Map<Topic, Map<Subscriber, Set<String>>> subscriptions = new ConcurrentHashMap<>();
    /** Subscribers sent an event's params alone, as Thunder's notification channel on /Service/Controller. */
    private final Map<Topic, Set<Subscriber>> plain = new ConcurrentHashMap<>();

    EventHub(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    void register(String callsign, String event, String id, Subscriber subscriber) {
        subscriptions.computeIfAbsent(new Topic(callsign, event), t -> new ConcurrentHashMap<>())
                .computeIfAbsent(subscriber, s -> ConcurrentHashMap.newKeySet())
                .add(id);
    }

    /** Sends {@code subscriber} the params of each of the events, as a plain JSON object without envelope. */
    void registerPlain(String callsign, String event, Subscriber subscriber) {
        plain.computeIfAbsent(new Topic(callsign, event), t -> ConcurrentHashMap.newKeySet()).add(subscriber);
    }

    /** @return false when there was no such registration */
    boolean unregister(String callsign, String event, String id, Subscriber subscriber) {
        Map<Subscriber, Set<String>> subscribers = subscriptions.get(new Topic(callsign, event));
        Set<String> ids = subscribers == null ? null : subscribers.get(subscriber);
        return ids != null && ids.remove(id);
    }

    void unregisterAll(Subscriber subscriber) {
        subscriptions.values().forEach(subscribers -> subscribers.remove(subscriber));
        plain.values().forEach(subscribers -> subscribers.remove(subscriber));
    }

    /** Sends {@code <id>.<event>[@index]} with these params to every registration of the event. */
    void publish(String callsign, String event, String index, Object params) {
        Topic topic = new Topic(callsign, event);
        Map<Subscriber, Set<String>> subscribers = subscriptions.getOrDefault(topic, Map.of());
        Set<Subscriber> plainSubscribers = plain.getOrDefault(topic, Set.of());
        if (subscribers.isEmpty() && plainSubscribers.isEmpty()) {
            return;
        }
        JsonNode paramsNode = mapper.valueToTree(params);
        if (!plainSubscribers.isEmpty()) {
            String text = paramsNode.toString();
            plainSubscribers.forEach(subscriber -> subscriber.send(text));
        }
        String suffix = "." + event + (index == null ? "" : "@" + index);
        subscribers.forEach((subscriber, ids) -> ids.forEach(id -> {
            ObjectNode notification = mapper.createObjectNode().put("jsonrpc", "2.0").put("method", id + suffix);
            notification.set("params", paramsNode);
            try {
                subscriber.send(mapper.writeValueAsString(notification));
            } catch (JsonProcessingException e) {
                LOG.warn("Cannot serialize event {} of {}", event, callsign, e);
            }
        }));
    }
}

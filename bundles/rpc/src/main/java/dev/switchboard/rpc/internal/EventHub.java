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

import dev.switchboard.api.plugin.PluginConstants;

/**
 * Who registered for which plugin event under which id, as Thunder keeps them: a registration made
 * with an index ({@code register@X}) gets only the events emitted for X (or for no index), named
 * {@code <id>.<event>@X}; one made without gets them all, named {@code <id>.<event>}. Every event is
 * also forwarded to the registrations for the Controller's {@code all}. Registrations outlive the
 * plugin instance, so a client keeps its events across a plugin update.
 */
final class EventHub {

    /** A connection that can receive notifications. */
    interface Subscriber {
        void send(String message);
    }

    private record Topic(String callsign, String event) {
    }

    /** A registration's id and the index it was made with, or null. */
    private record Registration(String id, String index) {
    }

    /** The Controller's event that carries every other event. */
    static final String ALL = "all";

    private static final Logger LOG = LoggerFactory.getLogger(EventHub.class);

    private final ObjectMapper mapper;
    private final Map<Topic, Map<Subscriber, Set<Registration>>> subscriptions = new ConcurrentHashMap<>();
    /** Subscribers sent an event's params alone, as Thunder's notification channel on /Service/Controller. */
    private final Map<Topic, Set<Subscriber>> plain = new ConcurrentHashMap<>();

    EventHub(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** @return false when this connection has registered this id for this event and index already */
    boolean register(String callsign, String event, String index, String id, Subscriber subscriber) {
        return subscriptions.computeIfAbsent(new Topic(callsign, event), t -> new ConcurrentHashMap<>())
                .computeIfAbsent(subscriber, s -> ConcurrentHashMap.newKeySet())
                .add(new Registration(id, index));
    }

    /** Sends {@code subscriber} the params of each of the events, as a plain JSON object without envelope. */
    void registerPlain(String callsign, String event, Subscriber subscriber) {
        plain.computeIfAbsent(new Topic(callsign, event), t -> ConcurrentHashMap.newKeySet()).add(subscriber);
    }

    /** @return false when there was no such registration */
    boolean unregister(String callsign, String event, String index, String id, Subscriber subscriber) {
        Map<Subscriber, Set<Registration>> subscribers = subscriptions.get(new Topic(callsign, event));
        Set<Registration> registrations = subscribers == null ? null : subscribers.get(subscriber);
        return registrations != null && registrations.remove(new Registration(id, index));
    }

    void unregisterAll(Subscriber subscriber) {
        subscriptions.values().forEach(subscribers -> subscribers.remove(subscriber));
        plain.values().forEach(subscribers -> subscribers.remove(subscriber));
    }

    /**
     * Sends the event to the registrations it concerns, then to those for the Controller's
     * {@code all} as {@code {"event", "callsign", "params"}}.
     *
     * @param index what the event is about (a callsign for {@code statechange}), or null for everyone
     */
    void publish(String callsign, String event, String index, Object params) {
        JsonNode paramsNode = mapper.valueToTree(params);
        Set<Subscriber> plainSubscribers = plain.getOrDefault(new Topic(callsign, event), Set.of());
        if (!plainSubscribers.isEmpty()) {
            String text = paramsNode.toString();
            plainSubscribers.forEach(subscriber -> subscriber.send(text));
        }
        send(new Topic(callsign, event), index, paramsNode);
        if (!(PluginConstants.CONTROLLER.equals(callsign) && ALL.equals(event))) {
            ObjectNode forwarded = mapper.createObjectNode().put("event", event).put("callsign", callsign);
            forwarded.set("params", paramsNode);
            send(new Topic(PluginConstants.CONTROLLER, ALL), null, forwarded);
        }
    }

    private void send(Topic topic, String index, JsonNode params) {
        Map<Subscriber, Set<Registration>> subscribers = subscriptions.get(topic);
        if (subscribers == null || subscribers.isEmpty()) {
            return;
        }
        subscribers.forEach((subscriber, registrations) -> registrations.forEach(registration -> {
            if (registration.index() != null && index != null && !registration.index().equals(index)) {
                return;
            }
            String method = registration.id() + "." + topic.event()
                    + (registration.index() == null ? "" : "@" + registration.index());
            ObjectNode notification = mapper.createObjectNode().put("jsonrpc", "2.0").put("method", method);
            notification.set("params", params);
            try {
                subscriber.send(mapper.writeValueAsString(notification));
            } catch (JsonProcessingException e) {
                LOG.warn("Cannot serialize event {} of {}", topic.event(), topic.callsign(), e);
            }
        }));
    }
}

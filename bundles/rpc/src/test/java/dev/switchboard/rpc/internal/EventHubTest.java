package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EventHubTest {

    private final EventHub hub = new EventHub(Json.MAPPER);
    private final List<String> first = new ArrayList<>();
    private final List<String> second = new ArrayList<>();

    @Test
    void anIndexedRegistrationGetsOnlyItsIndexNamedWithItAndAnUnindexedOneGetsAll() {
        assertThat(hub.register("Controller", "statechange", "A", "w", first::add)).isTrue();
        assertThat(hub.register("Controller", "statechange", null, "w", second::add)).isTrue();

        hub.publish("Controller", "statechange", "A", Map.of("callsign", "A"));
        hub.publish("Controller", "statechange", "B", Map.of("callsign", "B"));

        assertThat(first).containsExactly(
                "{\"jsonrpc\":\"2.0\",\"method\":\"w.statechange@A\",\"params\":{\"callsign\":\"A\"}}");
        assertThat(second).containsExactly(
                "{\"jsonrpc\":\"2.0\",\"method\":\"w.statechange\",\"params\":{\"callsign\":\"A\"}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"w.statechange\",\"params\":{\"callsign\":\"B\"}}");
    }

    @Test
    void theSameIdTwiceForOneEventAndIndexIsRefusedOtherwiseTaken() {
        EventHub.Subscriber subscriber = first::add;
        assertThat(hub.register("Fixture", "ping", null, "c1", subscriber)).isTrue();
        assertThat(hub.register("Fixture", "ping", null, "c1", subscriber)).isFalse();
        assertThat(hub.register("Fixture", "ping", "x", "c1", subscriber)).isTrue();
        assertThat(hub.register("Fixture", "pong", null, "c1", subscriber)).isTrue();
        assertThat(hub.register("Fixture", "ping", null, "c1", second::add)).as("another connection").isTrue();
        assertThat(hub.unregister("Fixture", "ping", "x", "c1", subscriber)).isTrue();
        assertThat(hub.unregister("Fixture", "ping", "x", "c1", subscriber)).isFalse();
    }

    @Test
    void everyEventIsForwardedToTheControllersAll() {
        hub.register("Controller", "all", null, "everything", first::add);

        hub.publish("Fixture", "ping", "x", Map.of("message", "m"));
        hub.publish("Controller", "statechange", "Fixture", Map.of("state", "Activated"));

        assertThat(first).containsExactly(
                "{\"jsonrpc\":\"2.0\",\"method\":\"everything.all\",\"params\":{\"event\":\"ping\",\"callsign\":\"Fixture\","
                        + "\"params\":{\"message\":\"m\"}}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"everything.all\",\"params\":{\"event\":\"statechange\","
                        + "\"callsign\":\"Controller\",\"params\":{\"state\":\"Activated\"}}}");
    }
}

package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/** The same calls over a real WebSocket, plus event registration and bad frames. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebSocketIT extends SwitchboardTestSupport {

    @Before
    public void bootPlugins() throws Exception {
        configure("fixture", "Fixture");
        awaitPlugin("Fixture");
    }

    @Test
    public void callsAndErrorsOverWebSocket() throws Exception {
        JsonRpcClient.Socket socket = client().openWebSocket("", "notification");
        assertEquals("notification", socket.subprotocol());
        socket.send(JsonRpcClient.request(1, "Fixture.1.echo", "{\"text\":\"ws\"}"));
        assertEquals("hello ws from Fixture", socket.next().get("result").asText());
        socket.send(JsonRpcClient.request(2, "Fixture.9.echo", "{\"text\":\"ws\"}"));
        assertEquals(-31038, socket.next().get("error").get("code").asInt());
        socket.send("[" + JsonRpcClient.request(3, "Fixture.1.versions", null) + "," + JsonRpcClient.request(4, "Nobody.versions", null) + "]");
        JsonNode batch = socket.next();
        assertEquals(2, batch.size());
        socket.close();
    }

    @Test
    public void callsGoOnAfterPings() throws Exception {
        JsonRpcClient.Socket socket = client().openWebSocket("", "json");
        socket.ping("are you there");
        socket.ping("still there");
        socket.send(JsonRpcClient.request(1, "Fixture.1.echo", "{\"text\":\"after ping\"}"));
        assertEquals("hello after ping from Fixture", socket.next().get("result").asText());
        socket.close();
    }

    @Test
    public void garbageAndBinaryFramesGetErrorsAndTheConnectionStays() throws Exception {
        JsonRpcClient.Socket socket = client().openWebSocket("", "jsonrpc");
        assertEquals("jsonrpc", socket.subprotocol());
        socket.send("}{ garbage");
        assertEquals(-32700, socket.next().get("error").get("code").asInt());
        socket.sendBinary(new byte[] {0, 1, 2, (byte) 0xff});
        int code = socket.next().get("error").get("code").asInt();
        assertTrue("binary frame answered " + code, code == -32700 || code == -32600);
        socket.sendBinary(JsonRpcClient.request(5, "Fixture.1.echo", "{\"text\":\"b\"}").getBytes(StandardCharsets.UTF_8));
        socket.send(JsonRpcClient.request(6, "Fixture.1.echo", "{\"text\":\"still\"}"));
        assertEquals("hello still from Fixture", socket.nextMatching("id", "6").get("result").asText());
        assertTrue(socket.isOpen());
        socket.close();
    }

    @Test
    public void registeredEventsArriveAsIdDotEvent() throws Exception {
        JsonRpcClient.Socket listener = client().openWebSocket("", "json");
        listener.send(JsonRpcClient.request(1, "Fixture.1.register", "{\"event\":\"ping\",\"id\":\"client1\"}"));
        assertTrue(listener.next().get("result").isNull());

        JsonRpcClient.Socket other = client().openWebSocket("");
        client().call("Fixture.1.emit", "{\"event\":\"ping\",\"message\":\"one\"}");
        JsonNode event = listener.next();
        assertEquals("client1.ping", event.get("method").asText());
        assertEquals("one", event.get("params").get("message").asText());
        assertTrue(!event.has("id"));

        listener.send(JsonRpcClient.request(6, "Fixture.1.register", "{\"event\":\"ping\",\"id\":\"client1\"}"));
        assertEquals("the same id twice", -31048, listener.nextMatching("id", "6").get("error").get("code").asInt());
        listener.send(JsonRpcClient.request(7, "Fixture.1.register@x", "{\"event\":\"ping\",\"id\":\"client1\"}"));
        assertTrue(listener.nextMatching("id", "7").get("result").isNull());
        client().call("Fixture.1.emit", "{\"event\":\"ping\",\"index\":\"x\",\"message\":\"two\"}");
        java.util.Set<String> names = new java.util.TreeSet<>(java.util.List.of(listener.next().get("method").asText(),
                listener.next().get("method").asText()));
        assertEquals("as Thunder: the registration's index names the event", "[client1.ping, client1.ping@x]",
                names.toString());
        client().call("Fixture.1.emit", "{\"event\":\"ping\",\"index\":\"y\",\"message\":\"other\"}");
        assertEquals("client1.ping", listener.next().get("method").asText());
        listener.send(JsonRpcClient.request(8, "Fixture.1.unregister@x", "{\"event\":\"ping\",\"id\":\"client1\"}"));
        assertTrue(listener.nextMatching("id", "8").get("result").isNull());

        listener.send(JsonRpcClient.request(2, "Fixture.1.unregister", "{\"event\":\"ping\",\"id\":\"client1\"}"));
        assertTrue(listener.next().get("result").isNull());
        listener.send(JsonRpcClient.request(3, "Fixture.1.unregister", "{\"event\":\"never\",\"id\":\"client1\"}"));
        assertEquals(-31049, listener.next().get("error").get("code").asInt());

        client().call("Fixture.1.emit", "{\"event\":\"ping\",\"message\":\"three\"}");
        listener.send(JsonRpcClient.request(4, "Fixture.1.versions", null));
        assertEquals(4, listener.next().get("id").asInt());
        other.send(JsonRpcClient.request(5, "Fixture.1.versions", null));
        assertEquals(5, other.next().get("id").asInt());
        listener.close();
        other.close();
    }

    @Test
    public void controllerStatechangeEventsReachRegisteredClients() throws Exception {
        configure("fixture", "Toggled");
        awaitPlugin("Toggled");
        JsonRpcClient.Socket socket = client().openWebSocket("");
        socket.send(JsonRpcClient.request(1, "Controller.1.register", "{\"event\":\"statechange\",\"id\":\"watch\"}"));
        assertTrue(socket.next().get("result").isNull());

        socket.send(JsonRpcClient.request(2, "Controller.1.deactivate", "{\"callsign\":\"Toggled\"}"));
        JsonNode change = socket.nextMatching("method", "watch.statechange");
        assertEquals("Toggled", change.get("params").get("callsign").asText());
        assertEquals("Deactivated", change.get("params").get("state").asText());
        assertEquals("Requested", change.get("params").get("reason").asText());

        socket.send(JsonRpcClient.request(3, "Controller.1.activate", "{\"callsign\":\"Toggled\"}"));
        change = socket.nextMatching("method", "watch.statechange");
        assertEquals("Activated", change.get("params").get("state").asText());
        socket.close();
    }
}

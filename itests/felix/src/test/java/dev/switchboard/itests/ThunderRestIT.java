package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;


/**
 * Thunder's legacy REST calls on /Service/Controller and its notification WebSocket, over real
 * HTTP, with the security decisions of the JSON-RPC calls they mirror.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ThunderRestIT extends TestOfficerSupport {

    private JsonRpcClient client;

    @Before
    public void bootPlugins() throws Exception {
        client = client();
        configure("fixture", "Fixture");
        configure("fixture", "Toggled");
        for (String callsign : new String[] {"Fixture", "Toggled"}) {
            eventually(Duration.ofSeconds(30), () -> get("/Service/Controller/Plugin/" + callsign, GOOD).status() == 200
                    && "Activated".equals(get("/Service/Controller/Plugin/" + callsign, GOOD).json().path("state").asText()));
        }
    }

    @Test
    public void statusOfAllPluginsAndOfOneAsTheJsonRpcStatusAnswers() throws Exception {
        JsonRpcClient.Reply all = get("/Service/Controller", GOOD);
        assertEquals(200, all.status());
        assertTrue(all.header("Content-Type").startsWith("application/json"));
        JsonNode plugins = all.json().get("plugins");
        assertTrue(plugins.isArray());
        assertTrue(plugins.toString(), plugins.findValuesAsText("callsign").containsAll(Set.of("Controller", "Fixture", "Toggled")));
        assertEquals(plugins.size(), get("/Service/Controller/", GOOD).json().get("plugins").size());

        JsonNode viaJsonRpc = client.post(JsonRpcClient.request(1, "Controller.1.status@Fixture", null),
                "Authorization", "Bearer " + GOOD).result().get(0);
        JsonNode one = get("/Service/Controller/Plugin/Fixture", GOOD).json();
        assertEquals(viaJsonRpc, one);
        assertEquals(one, get("/Service/Controller/Plugin/Fixture/", GOOD).json());
        assertEquals("an encoded letter is the letter", one, get("/Service/Controller/Plugin/Fix%74ure", GOOD).json());
    }

    @Test
    public void unknownCallsignsAndPathsAre404AndTheHostKeepsServing() throws Exception {
        JsonRpcClient.Reply unknown = get("/Service/Controller/Plugin/Nobody", GOOD);
        assertEquals(404, unknown.status());
        assertEquals(-31022, unknown.errorCode());
        for (String path : new String[] {"/Service/Controller/Plugin/Bad%20Name", "/Service/Controller/Plugin/%C3%A9t%C3%A9",
            "/Service/Controller/Plugin/", "/Service/Controller/Plugin/Fixture/more", "/Service/Controller/Nothing",
            "/Service/Controller/plugin/Fixture", "/Service/Nobody", "/Service/Fixture/Plugin/Fixture",
            "/Service/Controller/Plugin/" + "x".repeat(300)}) {
            JsonRpcClient.Reply reply = get(path, GOOD);
            assertEquals(path, 404, reply.status());
            assertTrue(path, Set.of(-32600, -31022).contains(reply.errorCode()));
        }
        assertEquals(400, get("/Service", GOOD).status());
        assertEquals(400, get("/Service/", GOOD).status());
        assertEquals(404, put("/Service/Controller/Activate/Nobody", GOOD).status());
        assertEquals(404, put("/Service/Controller/Activate/", GOOD).status());
        assertEquals(200, get("/Service/Controller", GOOD).status());
    }

    @Test
    public void wrongMethodsAre405AndSayWhichOneServes() throws Exception {
        JsonRpcClient.Reply post = client.send("POST", "/Service/Controller", "{}", "Authorization", "Bearer " + GOOD);
        assertEquals(405, post.status());
        assertEquals("GET, OPTIONS", post.header("Allow"));
        assertEquals(-32600, post.errorCode());
        JsonRpcClient.Reply getActivate = get("/Service/Controller/Activate/Toggled", GOOD);
        assertEquals(405, getActivate.status());
        assertEquals("PUT, OPTIONS", getActivate.header("Allow"));
        assertEquals(405, client.send("DELETE", "/Service/Controller/Plugin/Fixture", null, "Authorization", "Bearer " + GOOD).status());
        assertEquals(405, put("/Service/Controller/Plugin/Fixture", GOOD).status());
        assertEquals(405, client.send("TRACE", "/Service/Controller", null).status());
        assertTrue("nothing changed", "Activated".equals(get("/Service/Controller/Plugin/Toggled", GOOD).json().get("state").asText()));
    }

    @Test
    public void activateAndDeactivateChangeTheStateAndTheNotificationChannelSaysSo() throws Exception {
        JsonRpcClient.Socket channel = client.openWebSocketAt("/Service/Controller?token=" + GOOD, "notification");
        assertEquals("notification", channel.subprotocol());

        assertEquals(200, put("/Service/Controller/Deactivate/Toggled", GOOD).status());
        JsonNode change = nextChangeOf(channel, "Toggled");
        assertEquals("Deactivated", change.get("state").asText());
        assertTrue(change.toString(), change.has("reason"));
        assertFalse("a plain object, no JSON-RPC envelope", change.has("jsonrpc") || change.has("params"));
        assertEquals("Deactivated", get("/Service/Controller/Plugin/Toggled", GOOD).json().get("state").asText());

        assertEquals(200, put("/Service/Controller/Activate/Toggled/", GOOD).status());
        assertEquals("Activated", nextChangeOf(channel, "Toggled").get("state").asText());

        JsonRpcClient.Reply self = put("/Service/Controller/Deactivate/Controller", GOOD);
        assertEquals(403, self.status());
        assertEquals(-32604, self.errorCode());

        // the channel speaks JSON-RPC to the Controller too
        channel.send(JsonRpcClient.request(7, "exists", "{\"method\":\"status\"}"));
        assertTrue(channel.nextMatching("id", "7").get("result").asBoolean());
        channel.close();
    }

    @Test
    public void persistIsTheControllersPersistCall() throws Exception {
        assertTrue(client.post(JsonRpcClient.request(1, "Controller.1.exists", "{\"method\":\"persist\"}"),
                "Authorization", "Bearer " + GOOD).result().asBoolean());
        JsonRpcClient.Reply persisted = put("/Service/Controller/Persist", GOOD);
        assertEquals(persisted.body(), 200, persisted.status());
        assertEquals(405, get("/Service/Controller/Persist", GOOD).status());
    }

    @Test
    public void restCallsTakeTheJsonRpcCallsSecurityDecision() throws Exception {
        JsonRpcClient.Reply anonymous = client.send("GET", "/Service/Controller", null);
        assertEquals(401, anonymous.status());
        assertEquals("Bearer", anonymous.header("WWW-Authenticate"));
        assertEquals(-32604, anonymous.errorCode());
        assertEquals(401, get("/Service/Controller/Plugin/Fixture", BAD).status());
        assertEquals(401, put("/Service/Controller/Deactivate/Toggled", BAD).status());
        assertEquals(401, client.send("PUT", "/Service/Controller/Deactivate/Toggled", null, "Authorization", "Bearer ").status());

        // as Thunder, a GET may carry its token on the URL; a PUT may not
        assertEquals(200, client.send("GET", "/Service/Controller/Plugin/Fixture?token=" + GOOD, null).status());
        assertEquals(401, client.send("GET", "/Service/Controller?token=" + BAD, null).status());
        assertEquals(401, client.send("PUT", "/Service/Controller/Deactivate/Toggled?token=" + GOOD, null).status());

        assertEquals(200, get("/Service/Controller/Plugin/Toggled", LIMITED).status());
        JsonRpcClient.Reply denied = put("/Service/Controller/Deactivate/Toggled", LIMITED);
        assertEquals(403, denied.status());
        assertEquals(-32604, denied.errorCode());
        assertEquals("Activated", get("/Service/Controller/Plugin/Toggled", GOOD).json().get("state").asText());
    }

    @Test
    public void theNotificationChannelIsRefusedAtTheUpgradeWithoutAValidAllowedToken() throws Exception {
        for (String query : new String[] {"", "?token=" + BAD, "?token=" + LIMITED, "?token="}) {
            assertEquals(query, 403, refusedUpgrade("/Service/Controller" + query, "notification"));
        }
        assertEquals(404, refusedUpgrade("/Service/Fixture?token=" + GOOD, "notification"));
        try (RawHttp raw = new RawHttp(port(), 0)) {
            assertTrue(raw.upgrade("/Service/Controller/?token=" + GOOD, "Sec-WebSocket-Protocol: notification")
                    .startsWith("HTTP/1.1 101"));
        }
        assertEquals(200, get("/Service/Controller", GOOD).status());
    }

    private JsonNode nextChangeOf(JsonRpcClient.Socket channel, String callsign) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode message = channel.next();
            if (callsign.equals(message.path("callsign").asText())) {
                return message;
            }
        }
        throw new AssertionError("no state change of " + callsign);
    }

    /** The status a refused WebSocket upgrade was answered with. */
    private int refusedUpgrade(String path, String... subprotocols) {
        try {
            client.openWebSocketAt(path, subprotocols).close();
        } catch (CompletionException e) {
            assertNotNull(e.toString(), e.getCause());
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
        fail("the upgrade on " + path + " was accepted");
        return 0;
    }

    private JsonRpcClient.Reply get(String path, String token) throws Exception {
        return client.send("GET", path, null, "Authorization", "Bearer " + token);
    }

    private JsonRpcClient.Reply put(String path, String token) throws Exception {
        return client.send("PUT", path, null, "Authorization", "Bearer " + token);
    }
}

package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/** The Thunder dialect over real HTTP: built-ins, batch, notifications and every error of the table. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JsonRpcOverHttpIT extends SwitchboardTestSupport {

    private JsonRpcClient client;

    @Override
    protected String rpcConfiguration() {
        return super.rpcConfiguration() + "callTimeoutMillis=3000\n";
    }

    @Before
    public void bootPlugins() throws Exception {
        configure("fixture", "Fixture");
        awaitPlugin("DeviceInfo");
        awaitPlugin("Fixture");
        client = client();
    }

    @Test
    public void versionsAnswersEveryInterfaceDefaultFirst() throws Exception {
        JsonNode versions = client.call("Fixture.1.versions", null).result();
        assertEquals(2, versions.size());
        assertEquals("JFixture", versions.get(0).get("name").asText());
        assertEquals(1, versions.get(0).get("major").asInt());
        assertEquals(2, versions.get(0).get("minor").asInt());
        assertEquals(3, versions.get(0).get("patch").asInt());
        assertEquals(2, versions.get(1).get("major").asInt());
        assertEquals("JDeviceInfo", client.call("DeviceInfo.1.versions", null).result().get(0).get("name").asText());
    }

    @Test
    public void existsAnswersForPluginAndBuiltInMethods() throws Exception {
        assertTrue(client.call("Fixture.1.exists", "{\"method\":\"echo\"}").result().asBoolean());
        assertTrue(client.call("Fixture.1.exists", "{\"method\":\"versions\"}").result().asBoolean());
        assertTrue(client.call("Fixture.1.exists", "{\"method\":\"register\"}").result().asBoolean());
        assertFalse(client.call("Fixture.1.exists", "{\"method\":\"nosuch\"}").result().asBoolean());
        assertEquals(-32602, client.call("Fixture.1.exists", "{}").errorCode());
    }

    @Test
    public void versionSelectsTheInterfaceAndDefaultIsTheFirst() throws Exception {
        assertEquals("hello a from Fixture", client.call("Fixture.1.echo", "{\"text\":\"a\"}").result().asText());
        assertEquals("HELLO A FROM FIXTURE", client.call("Fixture.2.echo", "{\"text\":\"a\"}").result().asText());
        assertEquals("hello a from Fixture", client.call("Fixture.echo", "{\"text\":\"a\"}").result().asText());
        assertEquals(-31038, client.call("Fixture.3.echo", "{\"text\":\"a\"}").errorCode());
    }

    @Test
    public void callsignInThePathBindsTheChannel() throws Exception {
        JsonRpcClient.Reply reply = client.send("POST", "/jsonrpc/Fixture", JsonRpcClient.request(1, "1.echo", "{\"text\":\"p\"}"));
        assertEquals("hello p from Fixture", reply.result().asText());
        reply = client.send("POST", "/jsonrpc/Fixture", JsonRpcClient.request(1, "echo", "{\"text\":\"q\"}"));
        assertEquals("hello q from Fixture", reply.result().asText());
    }

    @Test
    public void propertyGetAndSetWithIndex() throws Exception {
        assertTrue(client.call("Fixture.1.value@colour", "{\"text\":\"blue\"}").json().has("result"));
        assertEquals("blue", client.call("Fixture.1.value@colour", null).result().asText());
        assertTrue(client.call("Fixture.1.value@size", null).result().isNull());
    }

    @Test
    public void idOfEveryJsonTypeIsEchoedOrRefused() throws Exception {
        assertEquals("abc", client.post(JsonRpcClient.request("abc", "Fixture.1.versions", null)).json().get("id").asText());
        assertEquals(42, client.post(JsonRpcClient.request(42, "Fixture.1.versions", null)).json().get("id").asInt());
        assertEquals(1.5, client.post(JsonRpcClient.request(1.5, "Fixture.1.versions", null)).json().get("id").asDouble(), 0);
        JsonNode nullId = client.post(JsonRpcClient.request(null, "Fixture.1.versions", null)).json();
        assertTrue(nullId.get("id").isNull());
        assertTrue(nullId.has("result"));
        for (String bad : new String[] {"true", "{\"a\":1}", "[1]"}) {
            JsonRpcClient.Reply reply = client.post("{\"jsonrpc\":\"2.0\",\"id\":" + bad + ",\"method\":\"Fixture.1.versions\"}");
            assertEquals(bad, -32600, reply.errorCode());
            assertTrue(bad, reply.json().get("id").isNull());
        }
    }

    @Test
    public void batchAnswersEachRequestAndSkipsNotifications() throws Exception {
        String batch = "[" + JsonRpcClient.request(1, "Fixture.1.echo", "{\"text\":\"x\"}") + ","
                + "{\"jsonrpc\":\"2.0\",\"method\":\"Fixture.1.echo\",\"params\":{\"text\":\"n\"}},"
                + JsonRpcClient.request(2, "Nobody.1.versions", null) + ","
                + "{\"foo\":1}]";
        JsonRpcClient.Reply reply = client.post(batch);
        assertEquals(200, reply.status());
        JsonNode answers = reply.json();
        assertTrue(answers.isArray());
        assertEquals(3, answers.size());
        assertEquals("hello x from Fixture", answers.get(0).get("result").asText());
        assertEquals(-31043, answers.get(1).get("error").get("code").asInt());
        assertEquals(-32600, answers.get(2).get("error").get("code").asInt());
        assertEquals(-32600, client.post("[]").errorCode());
    }

    @Test
    public void notificationsAnswer204() throws Exception {
        JsonRpcClient.Reply reply = client.post("{\"jsonrpc\":\"2.0\",\"method\":\"Fixture.1.value@n\",\"params\":{\"text\":\"set\"}}");
        assertEquals(204, reply.status());
        assertEquals("set", client.call("Fixture.1.value@n", null).result().asText());
        assertEquals(204, client.post("[{\"jsonrpc\":\"2.0\",\"method\":\"Fixture.1.versions\"}]").status());
    }

    @Test
    public void malformedJsonIs400WithParseError() throws Exception {
        for (String bad : new String[] {"{", "not json", "{\"jsonrpc\":\"2.0\",}", ""}) {
            JsonRpcClient.Reply reply = client.post(bad);
            assertEquals(bad, 400, reply.status());
            assertEquals(bad, -32700, reply.errorCode());
        }
    }

    @Test
    public void invalidEnvelopesAreRefused() throws Exception {
        assertEquals(-32600, client.post("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"Fixture.1.versions\"}").errorCode());
        assertEquals(-32600, client.post("{\"id\":1,\"method\":\"Fixture.1.versions\"}").errorCode());
        assertEquals(-32600, client.post("{\"jsonrpc\":\"2.0\",\"id\":1}").errorCode());
        assertEquals(-32600, client.post("42").errorCode());
        JsonNode bad = client.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}").json();
        assertTrue(bad.has("error"));
    }

    @Test
    public void paramsMustBindToTheMethod() throws Exception {
        assertEquals(-32602, client.call("Fixture.1.echo", "[\"a\"]").errorCode());
        assertEquals(-32602, client.call("Fixture.1.echo", "{\"text\":{\"no\":1}}").errorCode());
        assertEquals(-32602, client.call("Fixture.1.sleep", "{\"millis\":\"soon\"}").errorCode());
        assertEquals(-32602, client.call("Fixture.1.echo", "{}").errorCode());
    }

    @Test
    public void unknownsAndBadDesignators() throws Exception {
        assertEquals(-31043, client.call("Nobody.1.versions", null).errorCode());
        assertEquals(-32601, client.call("Fixture.1.nosuch", null).errorCode());
        assertEquals(-32601, client.call("Fixture.1.Echo", "{\"text\":\"a\"}").errorCode());
        for (String designator : new String[] {"Fixture.1.", "Fixture..echo", "@Fixture.1.echo", "Fixture.1.echo@", "Fixture.1.echo@a@b", ".", ""}) {
            int code = client.call(designator, "{\"text\":\"a\"}").errorCode();
            assertTrue(designator + " -> " + code, code == -31015 || code == -32600);
        }
        // extra dots make a longer callsign, which is unknown
        assertEquals(-31043, client.call("Fixture.1.echo.more", "{\"text\":\"a\"}").errorCode());
        // the index starts at the first '@', so this asks the Controller for a method "Fix"
        assertEquals(-32601, client.call("Fix@ture.1.echo", "{\"text\":\"a\"}").errorCode());
    }

    @Test
    public void pluginExceptionIsAnInternalErrorWithoutStackTrace() throws Exception {
        JsonRpcClient.Reply reply = client.call("Fixture.1.fail", null);
        assertEquals(-32603, reply.errorCode());
        assertFalse(reply.body().contains("Exception"));
        assertFalse(reply.body().contains("\tat "));
        assertEquals("hello ok from Fixture", client.call("Fixture.1.echo", "{\"text\":\"ok\"}").result().asText());
    }

    @Test
    public void registerNeedsAWebSocket() throws Exception {
        assertEquals(-31048, client.call("Fixture.1.register", "{\"event\":\"e\",\"id\":\"c\"}").errorCode());
        assertEquals(-31049, client.call("Fixture.1.unregister", "{\"event\":\"e\",\"id\":\"c\"}").errorCode());
    }

    @Test
    public void onlyPostIsAllowed() throws Exception {
        assertEquals(405, client.send("GET", "/jsonrpc", null).status());
        assertEquals(405, client.send("PUT", "/jsonrpc", JsonRpcClient.request(1, "Fixture.1.versions", null)).status());
        assertEquals(405, client.send("DELETE", "/jsonrpc/Fixture", null).status());
    }

    @Test
    public void oversizeBodyIsRefusedAndTheHostKeepsServing() throws Exception {
        String huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"Fixture.1.echo\",\"params\":{\"text\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}}";
        JsonRpcClient.Reply reply = client.post(huge);
        assertEquals(413, reply.status());
        assertEquals(-32600, reply.errorCode());
        assertEquals("hello ok from Fixture", client.call("Fixture.1.echo", "{\"text\":\"ok\"}").result().asText());
    }

    @Test
    public void veryDeepNestingIsRefused() throws Exception {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        JsonRpcClient.Reply reply = client.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"Fixture.1.echo\",\"params\":{\"text\":" + deep + "}}");
        assertTrue(reply.body(), reply.errorCode() == -32700 || reply.errorCode() == -32600);
        assertEquals("hello ok from Fixture", client.call("Fixture.1.echo", "{\"text\":\"ok\"}").result().asText());
    }

    @Test
    public void oversizeBatchIsRefused() throws Exception {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 10_001; i++) {
            batch.append(i == 0 ? "" : ",").append(JsonRpcClient.request(i, "Fixture.1.versions", null));
        }
        assertEquals(-32600, client.post(batch.append(']').toString()).errorCode());
    }

    @Test
    public void aStuckCallTimesOutAndDoesNotHoldUpOthers() throws Exception {
        AtomicInteger slowAnswer = new AtomicInteger();
        Thread slow = new Thread(() -> {
            try {
                slowAnswer.set(client().call("Fixture.1.sleep", "{\"millis\":8000}").errorCode());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        slow.start();
        eventually(Duration.ofSeconds(10), () -> client.call("Fixture.1.sleeping", null).result().asInt() == 1);
        assertEquals("hello fast from Fixture", client.call("Fixture.1.echo", "{\"text\":\"fast\"}").result().asText());
        assertTrue("the fast call answered while the slow one was running", slow.isAlive());
        slow.join();
        assertEquals("the stuck call is answered when its time is up", -32000, slowAnswer.get());
    }
}

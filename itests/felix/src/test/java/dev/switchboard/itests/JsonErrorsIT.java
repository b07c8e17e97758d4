package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/** Errors are JSON-RPC error objects where clients expect JSON, whether the transport, Felix or Jetty raises them. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JsonErrorsIT extends SwitchboardTestSupport {

    @Before
    public void awaitTransport() throws Exception {
        awaitPlugin("DeviceInfo");
    }

    private static void assertJsonRpcError(String what, String body) throws Exception {
        JsonNode error = JsonRpcClient.JSON.readTree(body);
        assertEquals(what, "2.0", error.get("jsonrpc").asText());
        assertTrue(what, error.get("id").isNull());
        assertTrue(what + ": " + body, error.get("error").get("code").asInt() < 0);
        assertFalse(what, body.contains("<html"));
    }

    @Test
    public void otherMethodsOnJsonRpcAre405WithAJsonRpcError() throws Exception {
        JsonRpcClient client = client();
        for (String method : new String[] {"GET", "PUT", "DELETE", "PATCH"}) {
            JsonRpcClient.Reply reply = client.send(method, "/jsonrpc", method.equals("GET") ? null : "{}");
            assertEquals(method, 405, reply.status());
            assertJsonRpcError(method, reply.body());
            assertEquals(-32600, reply.errorCode());
        }
        String head = RawHttp.exchange(port(), "HEAD /jsonrpc HTTP/1.1\r\nHost: 127.0.0.1");
        assertTrue(head, head.startsWith("HTTP/1.1 405"));
        assertTrue(head, head.contains("Content-Type: application/json"));
        assertTrue(head, head.contains("Allow: OPTIONS, POST"));
    }

    @Test
    public void optionsListsOnlyTheServedMethods() throws Exception {
        String options = RawHttp.exchange(port(), "OPTIONS /jsonrpc HTTP/1.1\r\nHost: 127.0.0.1");
        assertTrue(options, options.startsWith("HTTP/1.1 204") || options.startsWith("HTTP/1.1 200"));
        assertTrue(options, options.contains("Allow: OPTIONS, POST\r\n"));
    }

    @Test
    public void unknownPathsAre404WithAJsonBody() throws Exception {
        JsonRpcClient client = client();
        for (String path : new String[] {"/jsonrpc/DeviceInfo/extra", "/jsonrpc/a/b/c", "/nothing", "/metrics/x"}) {
            JsonRpcClient.Reply reply = client.send("POST", path, JsonRpcClient.request(1, "DeviceInfo.1.versions", null));
            assertEquals(path, 404, reply.status());
            assertJsonRpcError(path, reply.body());
        }
        assertEquals(404, client.send("GET", "/nothing", null).status());
        assertJsonRpcError("GET /nothing", client.send("GET", "/nothing", null).body());
    }

    @Test
    public void badPercentEncodingIs400WithAJsonBody() throws Exception {
        for (String path : new String[] {"/jsonrpc/%zz", "/jsonrpc/%", "/jsonrpc/%2e%2e/x", "/other/%G1"}) {
            String response = RawHttp.exchange(port(), "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0");
            assertTrue(path + ": " + response, response.startsWith("HTTP/1.1 400"));
            assertTrue(path + ": " + response, response.contains("Content-Type: application/json"));
            assertJsonRpcError(path, response.substring(response.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    public void oversizeHeadersAre431WithAJsonBody() throws Exception {
        String response = RawHttp.exchange(port(), "POST /jsonrpc HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(64 * 1024));
        assertTrue(response, response.startsWith("HTTP/1.1 431"));
        assertTrue(response, response.contains("Content-Type: application/json"));
        assertJsonRpcError("431", response.substring(response.indexOf("\r\n\r\n") + 4));
        assertEquals("JDeviceInfo", client().call("DeviceInfo.1.versions", null).result().get(0).get("name").asText());
    }
}

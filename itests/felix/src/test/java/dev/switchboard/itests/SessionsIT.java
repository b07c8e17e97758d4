package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Sessions plugin's JSON-RPC face in the launcher's bundle set, on its default embedded H2
 * database: an operator sets up a product, an agent adapter authenticates a client and reports
 * cumulative usage, and a WebSocket subscriber sees the connection change; the Gogo commands and the
 * database health check.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SessionsIT extends SwitchboardTestSupport {

    private static final ObjectMapper JSON = SessionsOrder.JSON;
    private JsonRpcClient client;

    @Before
    public void startSessions() throws Exception {
        // once per framework: configuring it again would restart the plugin under the next test
        if (configAdmin.listConfigurations("(callsign=Sessions)") == null) {
            configure("sessions", "Sessions");
        }
        awaitPlugin("Sessions");
        client = client();
    }

    @Test
    public void agentAdapterFlowOverJsonRpc() throws Exception {
        SessionsOrder placed = SessionsOrder.place(this::call);
        String password = placed.password();
        assertTrue(placed.accessMessage().has("password"));
        ObjectNode agent = placed.agent();
        assertTrue(call("authClient", agent.deepCopy().put("password", password)).result().asBoolean());
        assertEquals(-32604, call("authClient", agent.deepCopy().put("password", password + "x")).errorCode());

        JsonRpcClient.Socket watcher = client.openWebSocket("");
        watcher.send(JsonRpcClient.request(1, "Sessions.1.register", "{\"event\":\"connchange\",\"id\":\"watch\"}"));
        assertTrue(watcher.nextMatching("id", "1").get("result").isNull());

        call("startSession", agent.deepCopy().put("connection", "c1").put("clientAddress", "192.0.2.7")).result();
        assertEquals("watch.connchange", watcher.nextMatching("method", "watch.connchange").get("method").asText());
        watcher.close();

        ObjectNode usage = agent.deepCopy().put("connection", "c1").put("bytesUp", 100).put("bytesDown", 200);
        assertEquals("active", call("updateSession", usage).result().get("status").asText());
        assertEquals("a retried report counts once", "active", call("updateSession", usage).result().get("status").asText());
        assertEquals(-32602, call("updateSession", usage.deepCopy().put("bytesUp", 50)).errorCode());
        assertEquals(-32602, call("updateSession", usage.deepCopy().put("bytesUp", "many")).errorCode());
        JsonNode order = call("order", JSON.createObjectNode().put("order", placed.order())).result();
        assertEquals(100, order.get("bytesUp").asLong());
        assertEquals(200, order.get("bytesDown").asLong());
        assertEquals(-32604, call("updateSession", usage.deepCopy().put("credential", "forged")).errorCode());
    }

    @Test
    public void gogoCommandsAndTheDatabaseHealthCheck() throws Exception {
        SessionsOrder placed = SessionsOrder.place(this::call);
        String orders = command("orders", "activating");
        assertTrue(orders, orders.startsWith("Order "));
        assertTrue(orders, orders.lines().anyMatch(l -> l.startsWith(placed.order() + " ") && l.contains("| activating ")));
        assertTrue(command("orders", "terminated"), command("orders", "terminated").lines().count() == 2);
        String usage = command("usage");
        assertTrue(usage, usage.lines().anyMatch(l -> l.startsWith(placed.order() + " ")));
        assertTrue(command("sessions", placed.order()).startsWith("Session "));
        assertEquals("error: no order nothing", command("sessions", "nothing"));

        ServiceReference<?>[] found = context.getServiceReferences(HealthCheck.class.getName(),
                "(hc.name=Switchboard sessions database)");
        HealthCheck check = (HealthCheck) context.getService(found[0]);
        try {
            Result result = check.execute();
            assertEquals(result.toString(), Result.Status.OK, result.getStatus());
            assertTrue(result.toString(), result.toString().contains("Sessions: H2 "));
        } finally {
            context.ungetService(found[0]);
        }
    }

    @Test
    public void aMethodWhoseParamsAreAllOptionalAnswersWithoutParams() throws Exception {
        SessionsOrder placed = SessionsOrder.place(this::call);
        JsonNode orders = client.call("Sessions.1.orders", null).result();
        assertTrue(orders.toString(), orders.findValuesAsText("id").contains(placed.order()));
        assertEquals(orders.size(), client.call("Sessions.1.orders", "{}").result().size());
        assertEquals("order is required", -32602, client.call("Sessions.1.order", null).errorCode());
    }

    private JsonRpcClient.Reply call(String method, JsonNode params) throws Exception {
        return client.call("Sessions.1." + method, params.toString());
    }
}

package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Two hosts, each a launcher process of its own, sharing one PostgreSQL schema: both see the same
 * orders and sessions, and a WebSocket subscriber on one hears of the changes made on the other.
 */
public class SessionsTwoHostsIT {

    private static final ObjectMapper JSON = SessionsOrder.JSON;
    /** "Within a few seconds", with room for a loaded machine. */
    private static final long FEW_SECONDS_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String schema = "sb_two_hosts_" + UUID.randomUUID().toString().replace("-", "");
    private final List<JsonNode> heard = new ArrayList<>();
    private Distribution left;
    private Distribution right;

    @Before
    public void twoHostsOnOneSchema() throws Exception {
        LocalPostgres.assumeAvailable();
        LocalPostgres.execute("CREATE SCHEMA " + schema);
        left = Distribution.copy();
        right = Distribution.copy();
        left.usePostgres(LocalPostgres.URL, LocalPostgres.USER, schema);
        right.usePostgres(LocalPostgres.URL, LocalPostgres.USER, schema);
    }

    @After
    public void stop() throws Exception {
        if (left == null) {
            return; // skipped: no PostgreSQL
        }
        for (Distribution host : new Distribution[] {left, right}) {
            host.stop();
            if (host.process() != null) {
                host.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
        LocalPostgres.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    @Test
    public void ordersAreSharedAndChangesReachSubscribersOnTheOtherHost() throws Exception {
        Distribution.SessionsHost operator = left.startWithSessions(Distribution.freePort());
        Distribution.SessionsHost adapters = right.startWithSessions(Distribution.freePort());

        String token = adapters.bearer()[1].substring("Bearer ".length());
        JsonRpcClient.Socket subscriber = adapters.client().openWebSocket("?token=" + token);
        // one at a time: calls run on a worker pool, so two replies may come in either order
        subscriber.send(JsonRpcClient.request(1, "Sessions.1.register", "{\"event\":\"statuschange\",\"id\":\"s\"}"));
        assertTrue(subscriber.nextMatching("id", "1").get("result").isNull());
        subscriber.send(JsonRpcClient.request(2, "Sessions.1.register", "{\"event\":\"connchange\",\"id\":\"c\"}"));
        assertTrue(subscriber.nextMatching("id", "2").get("result").isNull());

        // the operator sells on the left host; the order is on the right one at once
        SessionsOrder placed = SessionsOrder.place(operator::call);
        JsonNode seenOnRight = adapters.call("order", JSON.createObjectNode().put("order", placed.order())).result();
        assertEquals("activating", seenOnRight.get("status").asText());
        JsonNode activating = awaitEvent(subscriber, "s.statuschange", placed.order());
        assertEquals("activating", activating.get("to").asText());

        // an adapter on the left host starts a session; the right host's subscriber hears it
        operator.call("startSession", placed.agent().deepCopy().put("connection", "c1").put("clientAddress", "192.0.2.9"))
                .result();
        assertEquals("start", awaitEvent(subscriber, "c.connchange", placed.order()).get("command").asText());
        assertEquals("active", awaitEvent(subscriber, "s.statuschange", placed.order()).get("to").asText());
        operator.call("updateSession", placed.agent().deepCopy().put("connection", "c1").put("bytesUp", 1234)
                .put("bytesDown", 5678)).result();
        JsonNode sessions = adapters.call("sessions", JSON.createObjectNode().put("order", placed.order())).result();
        assertEquals("the session is on both hosts", 5678, sessions.get(0).get("bytesDown").asLong());

        // the operator suspends on the left; the right host's subscriber hears it
        operator.call("suspend", JSON.createObjectNode().put("order", placed.order())).result();
        JsonNode suspending = awaitEvent(subscriber, "s.statuschange", placed.order());
        assertEquals("suspending", suspending.get("to").asText());
        assertEquals("active", suspending.get("from").asText());
    }

    /**
     * The first event {@code method} about {@code order} not taken yet, failing after a few seconds.
     * Events of the same change may arrive in any order: the others wait in {@link #heard}.
     */
    private JsonNode awaitEvent(JsonRpcClient.Socket socket, String method, String order) throws Exception {
        long deadline = System.nanoTime() + FEW_SECONDS_NANOS;
        while (true) {
            for (JsonNode event : heard) {
                if (method.equals(event.path("method").asText())
                        && order.equals(event.path("params").path("order").asText())) {
                    heard.remove(event);
                    return event.get("params");
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + method + " about " + order + " within a few seconds; heard " + heard);
            }
            heard.add(socket.next());
        }
    }

}

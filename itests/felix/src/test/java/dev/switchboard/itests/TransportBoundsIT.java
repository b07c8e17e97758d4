package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One client cannot take the host's memory: calls in progress are bounded per client (refused
 * with -32001, HTTP 503) and a WebSocket client that does not read its answers is closed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TransportBoundsIT extends SwitchboardTestSupport {

    private static final int PER_CLIENT = 4;

    @Override
    protected String rpcConfiguration() {
        return super.rpcConfiguration() + "maxCallsPerClient=" + PER_CLIENT + "\nmaxBatchSize=" + PER_CLIENT
                + "\nmaxPendingBytesPerConnection=65536\n";
    }

    @Before
    public void bootPlugins() throws Exception {
        configure("fixture", "Fixture");
        awaitPlugin("Fixture");
    }

    private static String sleepingBatch(int millis) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < PER_CLIENT; i++) {
            batch.append(i == 0 ? "" : ",").append(JsonRpcClient.request(100 + i, "Fixture.1.sleep", "{\"millis\":" + millis + "}"));
        }
        return batch.append(']').toString();
    }

    @Test
    public void aWebSocketBeyondItsCallsInProgressIsRefusedAndOthersAreServed() throws Exception {
        JsonRpcClient.Socket busy = client().openWebSocket("", "json");
        busy.send(sleepingBatch(3000));
        // the batch holds every call this connection may have; the next message is refused at once
        busy.send(JsonRpcClient.request(1, "Fixture.1.echo", "{\"text\":\"more\"}"));
        JsonNode refused = busy.next();
        assertEquals(1, refused.get("id").asInt());
        assertEquals(-32001, refused.get("error").get("code").asInt());
        assertTrue(refused.get("error").get("data").asText(), refused.get("error").get("data").asText().contains("maxCallsPerClient"));

        JsonRpcClient.Socket other = client().openWebSocket("", "json");
        other.send(JsonRpcClient.request(2, "Fixture.1.echo", "{\"text\":\"other\"}"));
        assertEquals("hello other from Fixture", other.next().get("result").asText());
        other.close();

        JsonNode batch = busy.next();
        assertEquals("the batch is answered in full: " + batch, PER_CLIENT, batch.size());
        batch.forEach(answer -> assertTrue(answer.toString(), answer.has("result")));
        busy.send(JsonRpcClient.request(3, "Fixture.1.echo", "{\"text\":\"again\"}"));
        assertEquals("hello again from Fixture", busy.nextMatching("id", "3").get("result").asText());
        busy.close();
    }

    @Test
    public void aWebSocketOverItsBudgetIsAnsweredOnceAndNotReadUntilItsCallsComplete() throws Exception {
        JsonRpcClient.Socket flooding = client().openWebSocket("", "json");
        flooding.send(sleepingBatch(2000));
        flooding.send("[" + JsonRpcClient.request(1, "Fixture.1.echo", "{\"text\":\"a\"}") + ","
                + JsonRpcClient.request(2, "Fixture.1.echo", "{\"text\":\"b\"}") + "]");
        flooding.send(JsonRpcClient.request(3, "Fixture.1.echo", "{\"text\":\"held\"}"));
        JsonNode refused = flooding.next();
        assertTrue("a refused batch is answered with one error: " + refused, refused.isObject());
        assertTrue(refused.toString(), refused.get("id").isNull());
        assertEquals(-32001, refused.get("error").get("code").asInt());
        // the next message is read only once the batch in progress is answered, so it is admitted, not refused
        JsonNode batch = flooding.next();
        assertEquals("the batch is answered before the held message: " + batch, PER_CLIENT, batch.size());
        JsonNode held = flooding.next();
        assertEquals(held.toString(), 3, held.get("id").asInt());
        assertEquals("hello held from Fixture", held.get("result").asText());
        flooding.close();
    }

    @Test
    public void anHttpClientBeyondItsCallsInProgressGets503() throws Exception {
        JsonRpcClient client = client();
        List<CompletableFuture<JsonRpcClient.Reply>> slow = new ArrayList<>(List.of(sleepingBatch(client)));
        JsonRpcClient.Reply[] refused = new JsonRpcClient.Reply[1];
        eventually(Duration.ofSeconds(30), () -> {
            CompletableFuture<JsonRpcClient.Reply> batch = slow.get(slow.size() - 1);
            if (batch.isDone() && batch.join().status() == 503) {
                // the probe below came first and the batch was the one refused: send it again
                slow.add(sleepingBatch(client));
            }
            refused[0] = client.call("Fixture.1.echo", "{\"text\":\"more\"}");
            return refused[0].status() == 503;
        });
        assertEquals(-32001, refused[0].errorCode());
        assertTrue(refused[0].json().get("error").get("data").asText().contains("maxCallsPerClient"));
        assertEquals(200, slow.get(slow.size() - 1).join().status());
        assertEquals("hello after from Fixture", client.call("Fixture.1.echo", "{\"text\":\"after\"}").result().asText());
    }

    private static CompletableFuture<JsonRpcClient.Reply> sleepingBatch(JsonRpcClient client) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return client.post(sleepingBatch(4000));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    public void aWebSocketClientThatDoesNotReadIsClosedAndTheHostKeepsServing() throws Exception {
        // answers of about 240 KB: the kernel's socket buffers (a few MB) fill after a few of them
        String text = "x".repeat(60_000);
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < PER_CLIENT; i++) {
            batch.append(i == 0 ? "" : ",").append(JsonRpcClient.request(i, "Fixture.1.echo", "{\"text\":\"" + text + "\"}"));
        }
        batch.append(']');
        try (RawHttp reader = new RawHttp(port(), 4096)) {
            assertTrue(reader.upgrade("/jsonrpc").startsWith("HTTP/1.1 101"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            boolean closed = false;
            long sent = 0;
            // never reads: answers pile up in the kernel's buffers, then in the host, until it closes the connection
            while (!closed && System.nanoTime() < deadline) {
                try {
                    reader.sendText(batch.toString());
                    sent++;
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertTrue("the host still accepts batches after " + sent + " unread ones", closed);
            assertTrue(reader.drain() < 64L * 1024 * 1024);
        }
        assertEquals("hello still from Fixture", client().call("Fixture.1.echo", "{\"text\":\"still\"}").result().asText());
    }
}

package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Replacing the agent adapter while clients stream through it, as an operator does on a running launcher:
 * a new build of adapter-socks (same symbolic name, another Bundle-Version) copied over the one in
 * {@code deploy/}. FileInstall updates the bundle in place: the old proxy stops accepting, closes its
 * connections and reports their final usage, the new build listens on the same port. Meanwhile every
 * call to the Sessions API is answered and no order's totals ever go down.
 */
public class SocksHotSwapIT {

    private static final long MIB = 1 << 20;
    private static final int CLIENTS = 4;
    /** Each client streams this much at {@link #RATE}: long enough to still run when the new build arrives. */
    private static final long STREAM = 32 * MIB;
    private static final long RATE = MIB;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private FileServer files;
    private SocksAgentNode agent;

    @Before
    public void agentNode() throws Exception {
        files = new FileServer();
        agent = SocksAgentNode.start();
    }

    @After
    public void stop() throws Exception {
        threads.shutdownNow();
        if (agent != null) {
            agent.close();
        }
        if (files != null) {
            files.close();
        }
    }

    @Test
    public void aNewBuildDroppedIntoDeployKeepsTheUsageAndTheSessionsApiAnswersThroughout() throws Exception {
        List<SessionsOrder> orders = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            orders.add(agent.order(1L << 40));
        }
        Poller poller = new Poller(orders);
        Future<?> polling = threads.submit(poller);

        // several clients, each with an order of its own, stream through the proxy
        List<String> tags = new ArrayList<>();
        List<Future<Curl.Result>> streams = new ArrayList<>();
        for (SessionsOrder order : orders) {
            String tag = UUID.randomUUID().toString();
            tags.add(tag);
            streams.add(threads.submit(() -> Curl.through(agent.proxyPort)
                    .credentials(order.clientKey(), order.password()).get(files.url(STREAM, tag, RATE), null)));
        }
        // usage is reported before the swap: every order has recorded part of its stream
        agent.await("every stream's usage reported", () -> {
            for (SessionsOrder order : orders) {
                if (agent.order(order.order()).get("bytesDown").asLong() == 0) {
                    return false;
                }
            }
            return true;
        });
        long[] beforeSwap = new long[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            beforeSwap[i] = agent.order(orders.get(i).order()).get("bytesDown").asLong();
        }

        for (Future<Curl.Result> stream : streams) {
            assertFalse("every client still streams when the new build arrives", stream.isDone());
        }
        String newVersion = agent.dropNewBuild();
        int callsBefore = poller.calls.get();
        agent.awaitNewBuild();
        int callsDuringSwap = poller.calls.get() - callsBefore;

        // each stream was carried over to its end, or closed with its usage reported
        long moved = 0;
        long recordedDown = 0;
        for (int i = 0; i < CLIENTS; i++) {
            Curl.Result stream = streams.get(i).get(STREAM / RATE + 120, TimeUnit.SECONDS);
            String order = orders.get(i).order();
            boolean carriedOver = stream.exit() == 0;
            if (carriedOver) {
                assertEquals("a stream carried over is whole", STREAM, stream.body());
            } else {
                assertTrue("a stream closed by the swap ends early: " + stream, stream.body() < STREAM);
            }
            agent.awaitStopped(order);
            JsonNode recorded = agent.order(order);
            long down = recorded.get("bytesDown").asLong();
            long served = files.served(tags.get(i));
            System.out.printf("client %d: %s; curl sent %d, received %d bytes (exit %d); the server wrote %d body"
                    + " bytes; recorded before the swap %d down, after %d up, %d down%n", i,
                    carriedOver ? "carried over" : "closed by the swap", stream.request(), stream.received(),
                    stream.exit(), served, beforeSwap[i], recorded.get("bytesUp").asLong(), down);
            assertEquals("bytes up: the HTTP request", stream.request(), recorded.get("bytesUp").asLong());
            assertTrue("usage reported before the swap is kept", down >= beforeSwap[i]);
            assertEquals("what curl received", stream.received(), down);
            assertTrue("at most what the server sent", down <= stream.header() + served + FileServer.CHUNK);
            moved += stream.received();
            recordedDown += down;
        }

        // a new connection works after the swap, and is metered as before
        SessionsOrder first = orders.get(0);
        long before = agent.order(first.order()).get("bytesDown").asLong();
        Path file = Files.createTempFile(agent.distribution.home(), "after-swap", ".bin");
        Curl.Result after = Curl.through(agent.proxyPort).credentials(first.clientKey(), first.password())
                .get(files.url(MIB + 3, UUID.randomUUID().toString()), file);
        assertEquals("a new connection after the swap: " + after, 0, after.exit());
        assertTrue("the file arrived whole and intact", FileServer.holds(file, MIB + 3));
        agent.await("the new connection's usage recorded",
                () -> agent.order(first.order()).get("bytesDown").asLong() == before + after.received());

        poller.stop.set(true);
        polling.get(60, TimeUnit.SECONDS);
        System.out.printf("new build %s; %d clients received %d bytes, their orders recorded %d down; %d Sessions"
                + " calls, %d of them during the swap%n", newVersion, CLIENTS, moved, recordedDown,
                poller.calls.get(), callsDuringSwap);
        assertEquals("every Sessions call answered: " + poller.failures, List.of(), poller.failures);
        assertEquals("no order's totals went down: " + poller.decreases, List.of(), poller.decreases);
        assertTrue("the Sessions API was called during the swap", callsDuringSwap > 0);
        assertFalse("the new build replaced the old one instead of running next to it",
                agent.distribution.log().contains("Address already in use"));
    }

    /** Calls {@code Sessions.1.order} every 50 ms, for each order in turn, until stopped. */
    private final class Poller implements Runnable {

        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final List<String> decreases = new CopyOnWriteArrayList<>();
        private final List<SessionsOrder> orders;
        private final Map<String, long[]> highest = new ConcurrentHashMap<>();

        Poller(List<SessionsOrder> orders) {
            this.orders = orders;
        }

        @Override
        public void run() {
            for (int i = 0; !stop.get(); i++) {
                String order = orders.get(i % orders.size()).order();
                try {
                    JsonNode reply = agent.host.call("order", SessionsOrder.JSON.createObjectNode().put("order", order))
                            .json();
                    calls.incrementAndGet();
                    JsonNode result = reply.get("result");
                    if (result == null) {
                        failures.add(reply.toString());
                    } else {
                        long up = result.get("bytesUp").asLong();
                        long down = result.get("bytesDown").asLong();
                        long[] seen = highest.computeIfAbsent(order, o -> new long[2]);
                        if (up < seen[0] || down < seen[1]) {
                            decreases.add(order + ": " + seen[0] + "/" + seen[1] + " then " + up + "/" + down);
                        }
                        seen[0] = Math.max(seen[0], up);
                        seen[1] = Math.max(seen[1], down);
                    }
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    calls.incrementAndGet();
                    failures.add(e.toString());
                }
            }
        }
    }
}

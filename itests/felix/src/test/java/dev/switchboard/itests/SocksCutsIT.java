package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A connection cut while the agent's proxy holds bytes its client has not taken: curl reads at 200 KB/s
 * from a loopback HTTP server that sends as fast as it can, so the proxy's queue towards curl is full
 * when an operator terminates the order, the deposit runs out, or a new build of the adapter is dropped
 * into {@code deploy/}. What the proxy still held is dropped, and the usage recorded is what curl
 * received: curl reads to the end of the stream, so what the kernel held for it when the proxy closed
 * reaches it too, and the two are equal.
 */
public class SocksCutsIT {

    private static final long MIB = 1 << 20;
    /** Far more than curl reads at {@link #RATE} in a test: every transfer ends with a cut. */
    private static final long SIZE = 1L << 30;
    private static final String RATE = "200k";
    /** Recorded before the cut: the transfer is under way and the proxy's buffers are full. */
    private static final long UNDER_WAY = 600_000;

    private static final ExecutorService threads = Executors.newCachedThreadPool();
    private static FileServer files;
    private static SocksAgentNode agent;

    @BeforeClass
    public static void agentNode() throws Exception {
        files = new FileServer();
        agent = SocksAgentNode.start();
    }

    @AfterClass
    public static void stopAgentNode() throws Exception {
        threads.shutdownNow();
        if (agent != null) {
            agent.close();
        }
        if (files != null) {
            files.close();
        }
    }

    /** A slow curl download through the proxy for {@code order}, running on its own thread. */
    private static Future<Curl.Result> slowDownload(SessionsOrder order) {
        String url = files.url(SIZE, UUID.randomUUID().toString());
        return threads.submit(() -> Curl.through(agent.proxyPort).credentials(order.clientKey(), order.password())
                .limitRate(RATE).get(url, null));
    }

    private static void awaitUnderWay(SessionsOrder order) throws Exception {
        agent.await("order " + order.order() + " reported " + UNDER_WAY + " bytes down",
                () -> agent.order(order.order()).get("bytesDown").asLong() > UNDER_WAY);
    }

    /** Once the transfer was cut: the usage recorded is what curl sent and received, to the byte. */
    private static void assertRecordedWhatCurlReceived(String cause, SessionsOrder order, Future<Curl.Result> download)
            throws Exception {
        Curl.Result curl = download.get(300, TimeUnit.SECONDS);
        assertNotEquals("curl was cut off: " + curl, 0, curl.exit());
        agent.awaitStopped(order.order());
        JsonNode recorded = agent.order(order.order());
        long up = recorded.get("bytesUp").asLong();
        long down = recorded.get("bytesDown").asLong();
        System.out.printf("%s: curl sent %d and received %d bytes (exit %d); the agent recorded %d up, %d down%n",
                cause, curl.request(), curl.received(), curl.exit(), up, down);
        assertEquals(cause + ", bytes up: the HTTP request", curl.request(), up);
        assertTrue(cause + ": recorded " + down + " > received " + curl.received(), down <= curl.received());
        assertEquals(cause + ", bytes down: what curl received", curl.received(), down);
    }

    @Test
    public void anOperatorsTerminate() throws Exception {
        SessionsOrder order = agent.order(1L << 40);
        Future<Curl.Result> download = slowDownload(order);
        awaitUnderWay(order);
        agent.host.call("terminate", SessionsOrder.JSON.createObjectNode().put("order", order.order())).result();
        assertRecordedWhatCurlReceived("terminated by the operator", order, download);
    }

    @Test
    public void theDepositRunningOut() throws Exception {
        SessionsOrder order = agent.order(2 * MIB);
        Future<Curl.Result> download = slowDownload(order);
        agent.await("order " + order.order() + " terminated",
                () -> "terminated".equals(agent.order(order.order()).get("status").asText()));
        assertRecordedWhatCurlReceived("deposit used up", order, download);
    }

    @Test
    public void aNewBuildDroppedIntoDeploy() throws Exception {
        SessionsOrder order = agent.order(1L << 40);
        Future<Curl.Result> download = slowDownload(order);
        awaitUnderWay(order);
        agent.dropNewBuild();
        agent.awaitNewBuild();
        assertRecordedWhatCurlReceived("the adapter replaced", order, download);
    }
}

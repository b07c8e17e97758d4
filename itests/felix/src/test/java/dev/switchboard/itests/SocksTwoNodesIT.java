package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The SOCKS5 proxy sold end to end between launcher processes on loopback, as the README's "Selling a
 * SOCKS5 proxy" walks through it: the operator creates product, offering and order over JSON-RPC on the
 * agent node and configures its proxy in {@code etc/}; {@code curl --socks5-hostname} fetches files from
 * a local HTTP server through it; the usage recorded is the bytes curl moved; a deposit running out
 * terminates the order and cuts the transfer.
 *
 * <p>The usage an adapter records is the payload it relays after the SOCKS5 handshake: the HTTP request
 * up, the response head and body down. The handshake (greeting, RFC 1929 credentials, CONNECT and
 * their replies, a few dozen bytes) is the protocol's overhead and not metered, so the totals equal
 * what curl reports it sent and received.
 */
public class SocksTwoNodesIT {

    private static final long MIB = 1 << 20;
    /** File sizes: one byte, one byte over a buffer, several buffers and a bit. */
    private static final long[] FILES = {1, 65_537, 3 * MIB + 7};

    private static FileServer files;
    private static SocksAgentNode agent;
    private static Path downloads;
    private Distribution clientNode;

    @BeforeClass
    public static void agentNode() throws Exception {
        assertTrue("these tests run curl: apt-get install curl", curlInstalled());
        downloads = Files.createDirectories(Path.of("target", "socks-downloads").toAbsolutePath());
        files = new FileServer();
        agent = SocksAgentNode.start();
    }

    @AfterClass
    public static void stopAgentNode() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (files != null) {
            files.close();
        }
    }

    @After
    public void stopClientNode() throws Exception {
        if (clientNode != null && clientNode.process() != null) {
            clientNode.stop();
            clientNode.process().waitFor();
        }
    }

    @Test
    public void curlFetchesThroughTheAgentsProxyAndTheAgentRecordsEveryByte() throws Exception {
        SessionsOrder order = agent.order(1L << 40);
        // the access message tells the client where the proxy listens: the adapter pushed it to the product
        JsonNode where = order.accessMessage().get("additionalParams");
        assertEquals("127.0.0.1", where.get("host").asText());
        assertEquals(String.valueOf(agent.proxyPort), where.get("port").asText());

        long up = 0;
        long down = 0;
        for (long size : FILES) {
            Curl.Result fetched = fetch(Curl.through(agent.proxyPort).credentials(order.clientKey(), order.password()),
                    size);
            up += fetched.request();
            down += fetched.received();
        }
        agent.awaitStopped(order.order());
        JsonNode recorded = agent.order(order.order());
        System.out.printf("agent proxy: curl sent %d and received %d bytes; the agent recorded %d up, %d down%n",
                up, down, recorded.get("bytesUp").asLong(), recorded.get("bytesDown").asLong());
        assertEquals("bytes up: the HTTP requests", up, recorded.get("bytesUp").asLong());
        assertEquals("bytes down: the HTTP responses", down, recorded.get("bytesDown").asLong());
        assertEquals("active", recorded.get("status").asText());
    }

    @Test
    public void theClientNodesListenerForwardsThroughTheAgentAndBothNodesRecordTheBytes() throws Exception {
        SessionsOrder order = agent.order(1L << 40);
        clientNode = Distribution.copy();
        Distribution.SessionsHost client = clientNode.startWithSessions(Distribution.freePort());
        importAccessMessage(client, order.accessMessage());

        int localPort = Distribution.freePort();
        clientNode.writeEtc("dev.switchboard.socksclient-SocksClient.cfg", String.join("\n",
                "callsign = SocksClient",
                "clientKey = " + order.clientKey(),
                "password = " + order.password(),
                "port = " + localPort,
                "reportSeconds = 1",
                ""));
        SocksAgentNode.await(clientNode, "the client adapter listening on 127.0.0.1:" + localPort, () -> {
            JsonNode status = client.rpc("SocksClient.1.status", null).json().path("result");
            return ("127.0.0.1:" + localPort).equals(status.path("listening").asText());
        });
        assertEquals("127.0.0.1:" + agent.proxyPort,
                client.rpc("SocksClient.1.status", null).result().get("agent").asText());

        long[] moved = new long[2];
        for (long size : FILES) {
            // local clients need no credentials
            Curl.Result fetched = fetch(Curl.through(localPort), size);
            moved[0] += fetched.request();
            moved[1] += fetched.received();
        }
        long up = moved[0];
        long down = moved[1];
        agent.awaitStopped(order.order());
        JsonNode atAgent = agent.order(order.order());
        assertEquals("agent node, bytes up", up, atAgent.get("bytesUp").asLong());
        assertEquals("agent node, bytes down", down, atAgent.get("bytesDown").asLong());

        String imported = clientOrder(client, order.clientKey());
        long[] atClient = new long[2];
        SocksAgentNode.await(clientNode, "the client node's sessions stopped with " + up + " up, " + down + " down",
                () -> {
                    long sessionsUp = 0;
                    long sessionsDown = 0;
                    boolean open = false;
                    for (JsonNode session : client.call("sessions",
                            SessionsOrder.JSON.createObjectNode().put("order", imported)).result()) {
                        if ("client".equals(session.get("side").asText())) {
                            sessionsUp += session.get("bytesUp").asLong();
                            sessionsDown += session.get("bytesDown").asLong();
                            open |= session.get("stopped").asLong() == 0;
                        }
                    }
                    atClient[0] = sessionsUp;
                    atClient[1] = sessionsDown;
                    return !open && sessionsUp == up && sessionsDown == down;
                });
        System.out.printf("through the client node: curl sent %d and received %d bytes; the agent recorded %d up,"
                + " %d down; the client node %d up, %d down%n", up, down, atAgent.get("bytesUp").asLong(),
                atAgent.get("bytesDown").asLong(), atClient[0], atClient[1]);
    }

    @Test
    public void exhaustingTheDepositTerminatesTheOrderAndCutsTheTransferMidway() throws Exception {
        long deposit = 4 * MIB;
        long size = 64 * MIB;
        SessionsOrder order = agent.order(deposit);
        String tag = UUID.randomUUID().toString();
        // sent at 1 MiB/s: the deposit runs out after about 4 s, long before the end of the file
        Curl.Result cut = Curl.through(agent.proxyPort).credentials(order.clientKey(), order.password())
                .get(files.url(size, tag, MIB), null);
        assertNotEquals("curl was not cut off: " + cut, 0, cut.exit());
        assertTrue("cut mid-transfer: " + cut, cut.body() > 0 && cut.body() < size);

        agent.await("order " + order.order() + " terminated",
                () -> "terminated".equals(agent.order(order.order()).get("status").asText()));
        agent.awaitStopped(order.order());
        JsonNode recorded = agent.order(order.order());
        long up = recorded.get("bytesUp").asLong();
        long down = recorded.get("bytesDown").asLong();
        long served = files.served(tag);
        System.out.printf("deposit %d: curl sent %d and received %d bytes (of %d, exit %d); the server wrote %d body"
                + " bytes; the agent recorded %d up, %d down, cost %d%n", deposit, cut.request(), cut.received(),
                size + cut.header(), cut.exit(), served, up, down, recorded.get("cost").asLong());
        assertEquals("bytes up: the HTTP request", cut.request(), up);
        // what the proxy still held for curl when it cut the connection is dropped, not billed
        assertEquals("what curl received", cut.received(), down);
        assertTrue("at most what the server sent", down <= cut.header() + served + FileServer.CHUNK);
        assertTrue("the cost reached the deposit", recorded.get("cost").asLong() >= deposit);

        // a terminated order opens no new connection
        Curl.Result refused = Curl.through(agent.proxyPort).credentials(order.clientKey(), order.password())
                .get(files.url(1000, UUID.randomUUID().toString()), null);
        assertNotEquals("refused: " + refused, 0, refused.exit());
        assertEquals(0, refused.received());
    }

    // ------------------------------------------------------------ helpers

    /** Fetches a file of {@code size} bytes with {@code curl}, checking that it arrived whole and intact. */
    private static Curl.Result fetch(Curl curl, long size) throws Exception {
        Path file = downloads.resolve(UUID.randomUUID() + ".bin");
        try {
            Curl.Result fetched = curl.get(files.url(size, UUID.randomUUID().toString()), file);
            assertEquals("curl failed: " + fetched, 0, fetched.exit());
            assertTrue("the file of " + size + " bytes arrived whole and intact", FileServer.holds(file, size));
            return fetched;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * What the client node's operator does with the access message the agent's operator handed over:
     * creates a client-side product with the same access template and imports the message into it, so
     * that the client node's Sessions knows the order (its client key, password and the agent's proxy)
     * and the client adapter can report to it.
     */
    private static void importAccessMessage(Distribution.SessionsHost clientNode, JsonNode accessMessage)
            throws Exception {
        SessionsOrder.Product product = SessionsOrder.createProduct(clientNode::call, "proxy bought", "", false);
        JsonNode imported = clientNode.call("importAccess", SessionsOrder.JSON.createObjectNode()
                .put("product", product.id()).set("accessMessage", accessMessage)).result();
        assertEquals("active", imported.get("status").asText());
    }

    /** The id of the order with {@code clientKey} on the client node. */
    private static String clientOrder(Distribution.SessionsHost clientNode, String clientKey) throws Exception {
        for (JsonNode order : clientNode.call("orders", SessionsOrder.JSON.createObjectNode()).result()) {
            if (clientKey.equals(order.get("clientKey").asText())) {
                return order.get("id").asText();
            }
        }
        throw new AssertionError("the client node has no order with client key " + clientKey);
    }

    private static boolean curlInstalled() {
        try {
            return new ProcessBuilder("curl", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}

package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The VPN sold end to end, as the README's "Selling a VPN" walks through it, with real processes and real
 * kernel tunnels: the agent launcher's OpenVPN server in one network namespace, the client launcher's
 * OpenVPN client in another, joined by a veth pair. The operator creates product, offering and order over
 * JSON-RPC on the agent node; the access message is imported on the client node; curl in the client's
 * namespace fetches files from an HTTP server on the agent's VPN address.
 *
 * <p>OpenVPN counts the bytes it moves on the link (encrypted, with the tunnelled IP and TCP headers, its own
 * and the TCP acknowledgements going the other way), which is what both nodes record: more than curl's
 * payload, never less. The agent counts what its server sent, the client node what its client received: a
 * packet lost on the way (and sent again by TCP) counts at the agent only.
 */
public class OpenVpnTwoNodesIT {

    private static final long MIB = 1 << 20;
    private static final String VPN_NETWORK = "10.231.99.0/24";
    private static final String SERVER_VPN_ADDRESS = "10.231.99.1";
    private static final int FILE_PORT = 8080;
    private static final String AGENT = "OpenVpn";

    private static VpnNamespaces net;
    private static Distribution agentNode;
    private static Distribution.SessionsHost agent;
    private static SessionsOrder.Product product;
    private static Distribution clientNode;
    private static Distribution.SessionsHost client;
    private static Path work;
    private static Path clientOpenvpn;

    @BeforeClass
    public static void nodes() throws Exception {
        String whyNot = VpnNamespaces.whyNot();
        if (whyNot != null) {
            System.out.println("OpenVPN end-to-end tests skipped: " + whyNot);
        }
        Assume.assumeTrue("OpenVPN end-to-end tests skipped: " + whyNot, whyNot == null);
        work = Files.createDirectories(Path.of("target", "openvpn-e2e").toAbsolutePath());
        net = VpnNamespaces.create();
        agentNode = Distribution.copy();
        agentNode.writeEtc("dev.switchboard.sessions-Sessions.cfg",
                "callsign = Sessions\nstartmode = Activated\nbillingPeriodSeconds = 1\n");
        agent = agentNode.startWithSessions(Distribution.freePort());
        product = SessionsOrder.createProduct(agent::call, "vpn", VpnNamespaces.AGENT_ADDRESS + ":1194");
        agentNode.writeEtc("dev.switchboard.openvpnagent-" + AGENT + ".cfg", String.join("\n",
                "callsign = " + AGENT,
                "product = " + product.id(),
                "credential = " + product.credential(),
                "listenAddress = " + VpnNamespaces.AGENT_ADDRESS,
                "port = 1194",
                "network = " + VPN_NETWORK,
                "openvpn = " + net.openvpnIn(net.agent, work),
                "reportSeconds = 1",
                ""));
        SocksAgentNode.await(agentNode, "the agent's OpenVPN server up",
                () -> "up".equals(agent.rpc(AGENT + ".1.status", null).json().path("result").path("server").asText()));
        new ProcessBuilder(VpnNamespaces.inNamespace(net.agent, Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", Path.of("target/test-classes").toAbsolutePath().toString(),
                FileServer.class.getName(), SERVER_VPN_ADDRESS, String.valueOf(FILE_PORT)))
                .redirectErrorStream(true).redirectOutput(work.resolve("file-server.log").toFile()).start();

        clientNode = Distribution.copy();
        client = clientNode.startWithSessions(Distribution.freePort());
        clientOpenvpn = net.openvpnIn(net.client, work);
    }

    @AfterClass
    public static void stopNodes() throws Exception {
        for (Distribution node : new Distribution[] {clientNode, agentNode}) {
            if (node != null && node.process() != null) {
                node.stop();
                node.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
        if (net != null) {
            net.close();
        }
    }

    @Test
    public void curlFetchesThroughTheTunnelAndBothNodesRecordTheBytes() throws Exception {
        SessionsOrder order = SessionsOrder.place(agent::call, product,
                SessionsOrder.createOffering(agent::call, product, 1L << 40), 1L << 40);
        JsonNode where = order.accessMessage().get("additionalParams");
        assertEquals(VpnNamespaces.AGENT_ADDRESS, where.get("host").asText());
        assertTrue(where.get("ca").asText().contains("BEGIN CERTIFICATE"));
        String callsign = connect(order);

        long request = 0;
        long received = 0;
        for (long size : new long[] {1, 1 * MIB + 7, 8 * MIB}) {
            Path file = work.resolve(UUID.randomUUID() + ".bin");
            Curl.Result fetched = Curl.inNamespace(net.client).get(fileUrl(size), file);
            assertEquals("curl failed: " + fetched, 0, fetched.exit());
            assertTrue("the file of " + size + " bytes arrived whole and intact", FileServer.holds(file, size));
            Files.delete(file);
            request += fetched.request();
            received += fetched.received();
        }
        disconnect(callsign);
        awaitStopped(agent, agentNode, order.order(), "agent");
        JsonNode atAgent = agent.call("order", SessionsOrder.JSON.createObjectNode().put("order", order.order())).result();
        String imported = clientOrder(order.clientKey());
        awaitStopped(client, clientNode, imported, "client");
        long[] atClient = totals(client, imported, "client");
        long agentUp = atAgent.get("bytesUp").asLong();
        long agentDown = atAgent.get("bytesDown").asLong();
        System.out.printf("through the tunnel: curl sent %d and received %d bytes; the agent recorded %d up, %d down"
                + " (%.3f of curl's down); the client node %d up, %d down%n", request, received, agentUp, agentDown,
                (double) agentDown / received, atClient[0], atClient[1]);
        assertTrue("the agent billed at least what curl received", agentDown >= received);
        assertTrue("and no more than the tunnel's overhead and resent packets", agentDown <= received + received / 2);
        assertTrue("up: the requests and the acknowledgements", agentUp >= request && agentUp <= agentDown / 5);
        assertTrue("the client node recorded what its end received: " + atClient[1],
                atClient[1] >= received && atClient[1] <= agentDown);
        assertTrue("and sent: " + atClient[0], atClient[0] >= request);
    }

    @Test
    public void aWrongPasswordIsRefused() throws Exception {
        SessionsOrder order = SessionsOrder.place(agent::call, product,
                SessionsOrder.createOffering(agent::call, product, 1L << 40), 1L << 40);
        JsonNode params = order.accessMessage().get("additionalParams");
        Path dir = Files.createDirectories(work.resolve("wrong-" + UUID.randomUUID()));
        Files.writeString(dir.resolve("auth.txt"), order.clientKey() + "\n" + order.password() + "x\n");
        Files.writeString(dir.resolve("client.conf"), "client\ndev tun\nnobind\nproto udp\nremote "
                + params.get("host").asText() + " " + params.get("port").asText() + "\nauth-user-pass "
                + dir.resolve("auth.txt") + "\nverb 3\n<ca>\n" + params.get("ca").asText() + "</ca>\n<tls-crypt>\n"
                + params.get("tlsCrypt").asText() + "</tls-crypt>\n");
        Process openvpn = new ProcessBuilder(VpnNamespaces.inNamespace(net.client, "openvpn", "--config",
                dir.resolve("client.conf").toString())).redirectErrorStream(true)
                .redirectOutput(dir.resolve("client.log").toFile()).start();
        assertTrue("a refused client exits", openvpn.waitFor(60, TimeUnit.SECONDS));
        assertTrue(Files.readString(dir.resolve("client.log")).contains("AUTH_FAILED"));
        assertEquals(0, agent.call("sessions", SessionsOrder.JSON.createObjectNode().put("order", order.order()))
                .result().size());
    }

    @Test
    public void exhaustingTheDepositCutsTheClientMidTransferAndItsReconnectIsRefused() throws Exception {
        long deposit = 4 * MIB;
        long size = 64 * MIB;
        SessionsOrder order = SessionsOrder.place(agent::call, product,
                SessionsOrder.createOffering(agent::call, product, 1L << 40), deposit);
        String callsign = connect(order);
        // sent at 1 MiB/s: the deposit runs out after about 4 s
        Curl.Result cut = Curl.inNamespace(net.client).stallSeconds(10)
                .get(fileUrl(size) + "?rate=" + MIB, null);
        assertNotEquals("curl was not cut off: " + cut, 0, cut.exit());
        assertTrue("cut mid-transfer: " + cut, cut.body() > 0 && cut.body() < size);
        SocksAgentNode.await(clientNode, "the client refused on reconnecting",
                () -> "EXITED".equals(clientStatus(callsign).path("state").asText()));
        awaitStopped(agent, agentNode, order.order(), "agent");
        JsonNode recorded = agent.call("order", SessionsOrder.JSON.createObjectNode().put("order", order.order()))
                .result();
        System.out.printf("deposit %d: curl received %d of %d bytes (exit %d); the agent recorded %d down, cost %d,"
                + " order %s%n", deposit, cut.received(), size, cut.exit(), recorded.get("bytesDown").asLong(),
                recorded.get("cost").asLong(), recorded.get("status").asText());
        assertEquals("terminated", recorded.get("status").asText());
        assertTrue("the cost reached the deposit", recorded.get("cost").asLong() >= deposit);
        disconnect(callsign);
    }

    @Test
    public void suspendAndResumeCutAndReadmitTheClient() throws Exception {
        SessionsOrder order = SessionsOrder.place(agent::call, product,
                SessionsOrder.createOffering(agent::call, product, 1L << 40), 1L << 40);
        String callsign = connect(order);
        agent.call("suspend", SessionsOrder.JSON.createObjectNode().put("order", order.order())).result();
        SocksAgentNode.await(clientNode, "the suspended client cut and refused",
                () -> "EXITED".equals(clientStatus(callsign).path("state").asText()));
        SocksAgentNode.await(agentNode, "the order suspended", () -> "suspended".equals(agent.call("order",
                SessionsOrder.JSON.createObjectNode().put("order", order.order())).result().get("status").asText()));
        disconnect(callsign);
        agent.call("resume", SessionsOrder.JSON.createObjectNode().put("order", order.order())).result();
        String again = connect(order);
        Curl.Result fetched = Curl.inNamespace(net.client).get(fileUrl(1000), null);
        assertEquals("curl failed: " + fetched, 0, fetched.exit());
        disconnect(again);
    }

    // ------------------------------------------------------------ helpers

    private static String fileUrl(long size) {
        return "http://" + SERVER_VPN_ADDRESS + ":" + FILE_PORT + "/file/" + size + "/" + UUID.randomUUID();
    }

    /** Imports the order's access message on the client node (once) and configures a client adapter for it. */
    private static String connect(SessionsOrder order) throws Exception {
        if (clientOrderOrNull(order.clientKey()) == null) {
            SessionsOrder.Product bought = SessionsOrder.createProduct(client::call, "vpn bought", "", false);
            client.call("importAccess", SessionsOrder.JSON.createObjectNode().put("product", bought.id())
                    .set("accessMessage", order.accessMessage())).result();
        }
        String callsign = "Vpn" + UUID.randomUUID().toString().substring(0, 8);
        clientNode.writeEtc("dev.switchboard.openvpnclient-" + callsign + ".cfg", String.join("\n",
                "callsign = " + callsign,
                "clientKey = " + order.clientKey(),
                "password = " + order.password(),
                "openvpn = " + clientOpenvpn,
                "reportSeconds = 1",
                ""));
        SocksAgentNode.await(clientNode, "client " + callsign + " connected",
                () -> "CONNECTED".equals(clientStatus(callsign).path("state").asText()));
        return callsign;
    }

    private static JsonNode clientStatus(String callsign) throws Exception {
        return client.rpc(callsign + ".1.status", null).json().path("result");
    }

    /** Removes the client adapter's configuration: it stops its OpenVPN, which says goodbye to the server. */
    private static void disconnect(String callsign) throws Exception {
        Files.delete(clientNode.home().resolve("etc/dev.switchboard.openvpnclient-" + callsign + ".cfg"));
        SocksAgentNode.await(clientNode, "client " + callsign + " removed",
                () -> clientNode.log().contains("OpenVPN client " + callsign + " stopped"));
    }

    private static void awaitStopped(Distribution.SessionsHost host, Distribution node, String order, String side)
            throws Exception {
        SocksAgentNode.await(node, "every " + side + " session of order " + order + " stopped", () -> {
            List<JsonNode> sessions = sessions(host, order, side);
            return !sessions.isEmpty() && sessions.stream().allMatch(s -> s.get("stopped").asLong() > 0);
        });
    }

    private static List<JsonNode> sessions(Distribution.SessionsHost host, String order, String side) throws Exception {
        List<JsonNode> found = new java.util.ArrayList<>();
        for (JsonNode session : host.call("sessions", SessionsOrder.JSON.createObjectNode().put("order", order)).result()) {
            if (side.equals(session.get("side").asText())) {
                found.add(session);
            }
        }
        return found;
    }

    private static long[] totals(Distribution.SessionsHost host, String order, String side) throws Exception {
        long[] totals = new long[2];
        for (JsonNode session : sessions(host, order, side)) {
            totals[0] += session.get("bytesUp").asLong();
            totals[1] += session.get("bytesDown").asLong();
        }
        return totals;
    }

    private static String clientOrder(String clientKey) throws Exception {
        String id = clientOrderOrNull(clientKey);
        assertTrue("order " + clientKey + " imported on the client node", id != null);
        return id;
    }

    private static String clientOrderOrNull(String clientKey) throws Exception {
        for (JsonNode order : client.call("orders", SessionsOrder.JSON.createObjectNode()).result()) {
            if (clientKey.equals(order.get("clientKey").asText())) {
                return order.get("id").asText();
            }
        }
        return null;
    }
}

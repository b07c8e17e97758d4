package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The SecurityAgent enforcing on every call, end to end: tokens from its local socket, the ACL
 * by the token's origin over HTTP and WebSocket, ACL hot reload, keys across a restart,
 * revocation and expiry.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecurityAgentIT extends SwitchboardTestSupport {

    private static final String ACL = """
            {"assign":[{"url":"*://localhost:*","role":"local"},
                       {"url":"https://apps.example:*","role":"apps"},
                       {"url":"*","role":"default"}],
             "roles":{"local":{"default":"allowed"},
                      "default":{"default":"blocked"},
                      "apps":{"default":"blocked",
                              "DeviceInfo":{"default":"allowed","methods":["addresses"]},
                              "Fix*":{"default":"blocked","methods":["echo"]}}}}
            """;

    private JsonRpcClient client;

    @Override
    protected String rpcConfiguration() {
        return "enforce=true\n";
    }

    @Before
    public void startSecurityAgent() throws Exception {
        writeEtc("acl.json", ACL);
        if (configAdmin.listConfigurations("(callsign=SecurityAgent)") == null) {
            configure("securityagent", "SecurityAgent");
            configure("fixture", "Fixture");
        }
        client = client();
        awaitLocalAccess();
    }

    /** Until the agent issues tokens and the transport accepts them (the agent restarts on a configuration change). */
    private void awaitLocalAccess() throws Exception {
        eventually(Duration.ofSeconds(30), () -> {
            try {
                return call(token("http://localhost"), "Fixture.1.versions", null).json().has("result");
            } catch (IOException | AssertionError notYet) {
                return false;
            }
        });
    }

    @Test
    public void aclDecidesByTheTokensOrigin() throws Exception {
        String local = token("http://localhost:8080");
        String app = token("{\"url\":\"https://apps.example/page\",\"user\":\"u\",\"hash\":\"h\"}");
        String stranger = token("http://stranger.example");

        assertEquals("hello x from Fixture", call(local, "Fixture.1.echo", "{\"text\":\"x\"}").result().asText());
        assertTrue(call(local, "Controller.1.status", null).result().size() >= 3);

        // apps: DeviceInfo is a blocklist without addresses, Fix* an allowlist of echo, the rest blocked
        assertTrue(call(app, "DeviceInfo.1.systeminfo", null).result().has("totalram"));
        assertEquals(-32604, call(app, "DeviceInfo.1.addresses", null).errorCode());
        assertEquals("hello y from Fixture", call(app, "Fixture.1.echo", "{\"text\":\"y\"}").result().asText());
        assertEquals(-32604, call(app, "Fixture.1.value@k", null).errorCode());
        assertEquals(-32604, call(app, "Controller.1.status", null).errorCode());

        assertEquals(-32604, call(stranger, "DeviceInfo.1.systeminfo", null).errorCode());
        assertTrue("discovery stays open", call(stranger, "Controller.1.exists", "{\"method\":\"status\"}").result().asBoolean());
    }

    @Test
    public void missingOrBadTokensAre401AndValidateSaysWhy() throws Exception {
        String local = token("http://localhost");
        assertEquals(401, client.call("DeviceInfo.1.versions", null).status());
        String tampered = local.substring(0, local.length() - 2) + (local.endsWith("A") ? "BB" : "AA");
        for (String bad : new String[] {"nonsense", tampered, local + "x", local + ".", "e30.e30."}) {
            JsonRpcClient.Reply reply = client.post(JsonRpcClient.request(1, "DeviceInfo.1.versions", null),
                    "Authorization", "Bearer " + bad);
            assertEquals(bad, 401, reply.status());
            assertFalse(bad, reply.body().contains("Exception"));
            assertFalse(bad, validate(bad));
        }
        assertTrue(validate(local));
        assertEquals("JSecurityAgent", call(local, "SecurityAgent.1.versions", null).result().get(0).get("name").asText());
    }

    @Test
    public void onlyControllerExistsAnswersWithoutATokenAndABadTokenIsRefusedEvenThere() throws Exception {
        assertTrue(client.call("Controller.1.exists", "{\"method\":\"status\"}").result().asBoolean());
        for (String method : new String[] {"SecurityAgent.1.versions", "SecurityAgent.1.exists", "SecurityAgent.1.validate"}) {
            assertEquals(method, 401, client.call(method, "{\"method\":\"validate\",\"token\":\"x\"}").status());
        }
        String local = token("http://localhost");
        String tampered = local.substring(0, local.length() - 2) + (local.endsWith("A") ? "BB" : "AA");
        String[][] headers = {{"Authorization", "Bearer " + tampered}, {"Authorization", "Bearer garbage"},
            {"Authorization", "Bearer "}, {"Authorization", "Bearer"}, {"Authorization", "Basic a2FyYWY6a2FyYWY="}};
        for (String[] header : headers) {
            for (String method : new String[] {"Controller.1.exists", "SecurityAgent.1.versions", "SecurityAgent.1.validate"}) {
                JsonRpcClient.Reply reply = client.post(JsonRpcClient.request(1, method, "{\"method\":\"status\"}"), header);
                assertEquals(header[1] + " on " + method, 401, reply.status());
                assertEquals(-32604, reply.errorCode());
            }
        }
        for (String query : new String[] {"?token=" + tampered, "?token=garbage", "?token="}) {
            JsonRpcClient.Socket socket;
            try {
                socket = client.openWebSocket(query);
            } catch (java.util.concurrent.CompletionException refusedAtTheUpgrade) {
                continue;
            }
            socket.send(JsonRpcClient.request(7, "Controller.1.exists", "{\"method\":\"status\"}"));
            assertEquals(query, -32604, socket.nextMatching("id", "7").get("error").get("code").asInt());
            socket.close();
        }
        assertEquals("JSecurityAgent", call(local, "SecurityAgent.1.versions", null).result().get(0).get("name").asText());
    }

    @Test
    public void validateWantsATokenStringAndVersionZeroIsNoVersion() throws Exception {
        String local = token("http://localhost");
        for (String params : new String[] {"{}", "{\"tokn\":\"x\"}", "{\"token\":5}", "{\"token\":null}",
            "{\"token\":{\"a\":1}}", "[\"x\"]", null}) {
            assertEquals(String.valueOf(params), -32602, call(local, "SecurityAgent.1.validate", params).errorCode());
        }
        assertFalse(call(local, "SecurityAgent.1.validate", "{\"token\":\"\"}").result().asBoolean());
        assertEquals(-31038, call(local, "SecurityAgent.0.versions", null).errorCode());
        assertEquals(-31038, call(local, "SecurityAgent.2.versions", null).errorCode());
    }

    @Test
    public void webSocketChecksEveryMessageWithTheUpgradeToken() throws Exception {
        String app = token("https://apps.example");
        JsonRpcClient.Socket socket = client.openWebSocket("?token=" + app, "notification");
        socket.send(JsonRpcClient.request(1, "Fixture.1.echo", "{\"text\":\"w\"}"));
        assertEquals("hello w from Fixture", socket.nextMatching("id", "1").get("result").asText());
        socket.send(JsonRpcClient.request(2, "Controller.1.status", null));
        assertEquals(-32604, socket.nextMatching("id", "2").get("error").get("code").asInt());
        socket.close();

        JsonRpcClient.Socket anonymous = client.openWebSocket("");
        anonymous.send(JsonRpcClient.request(3, "Fixture.1.echo", "{\"text\":\"w\"}"));
        assertEquals(-32604, anonymous.nextMatching("id", "3").get("error").get("code").asInt());
        anonymous.close();
    }

    @Test
    public void aclIsReloadedLiveAndAnInvalidOneIsKeptOut() throws Exception {
        String stranger = token("http://stranger.example");
        assertEquals(-32604, call(stranger, "DeviceInfo.1.versions", null).errorCode());
        try {
            writeEtc("acl.json", ACL.replace("\"default\":{\"default\":\"blocked\"}",
                    "\"default\":{\"default\":\"allowed\"}"));
            eventually(Duration.ofSeconds(15), () -> call(stranger, "DeviceInfo.1.versions", null).json().has("result"));

            List<String> rejections = new CopyOnWriteArrayList<>();
            LogListener listener = entry -> {
                if (entry.getMessage() != null && entry.getMessage().startsWith("ACL rejected")) {
                    rejections.add(entry.getMessage());
                }
            };
            ServiceReference<LogReaderService> logs = context.getServiceReference(LogReaderService.class);
            LogReaderService reader = context.getService(logs);
            reader.addLogListener(listener);
            try {
                writeEtc("acl.json", "{\"assign\":[{\"url\":\"*\",\"role\":\"missing\"}],\"roles\":{}}");
                eventually(Duration.ofSeconds(15), () -> !rejections.isEmpty());
            } finally {
                reader.removeLogListener(listener);
                context.ungetService(logs);
            }
            assertTrue(rejections.get(0), rejections.get(0).contains("missing"));
            assertTrue("the last good ACL stays", call(stranger, "DeviceInfo.1.versions", null).json().has("result"));
        } finally {
            writeEtc("acl.json", ACL);
            eventually(Duration.ofSeconds(15),
                    () -> call(stranger, "DeviceInfo.1.versions", null).json().path("error").path("code").asInt() == -32604);
        }
    }

    @Test
    public void keysSurviveARestartAndRevokedTokensAreRefused() throws Exception {
        String before = token("http://localhost");
        Bundle agent = installedBundle("dev.switchboard.securityagent");
        agent.stop();
        agent.start();
        eventually(Duration.ofSeconds(30), () -> call(before, "DeviceInfo.1.versions", null).json().has("result"));

        ServiceReference<?> commands = context.getServiceReferences((String) null,
                "(&(osgi.command.scope=switchboard)(osgi.command.function=revoke))")[0];
        Object shell = context.getService(commands);
        try {
            shell.getClass().getMethod("revoke", String.class).invoke(shell, claims(before).get("jti").asText());
        } finally {
            context.ungetService(commands);
        }
        assertEquals(401, call(before, "DeviceInfo.1.versions", null).status());
        assertFalse(validate(before));
        agent.stop();
        agent.start();
        awaitLocalAccess();
        assertEquals("revocation is kept across a restart", 401, call(before, "DeviceInfo.1.versions", null).status());
    }

    @Test
    public void expiredTokensAreRefused() throws Exception {
        configure("securityagent", "SecurityAgent", "tokenLifetimeSeconds", 2L);
        try {
            eventually(Duration.ofSeconds(30), () -> {
                try {
                    String probe = token("http://localhost");
                    long lifetime = claims(probe).get("exp").asLong() - claims(probe).get("iat").asLong();
                    return lifetime == 2 && call(probe, "DeviceInfo.1.versions", null).json().has("result");
                } catch (IOException | AssertionError notYet) {
                    return false;
                }
            });
            String shortLived = token("http://localhost");
            eventually(Duration.ofSeconds(10), () -> call(shortLived, "DeviceInfo.1.versions", null).status() == 401);
            assertEquals("expired, even where no token is needed", 401,
                    call(shortLived, "Controller.1.exists", "{\"method\":\"status\"}").status());
            assertFalse(validate(shortLived));
        } finally {
            // the other tests need tokens that outlive them
            configure("securityagent", "SecurityAgent");
            awaitLocalAccess();
        }
    }

    private JsonRpcClient.Reply call(String token, String method, String params) throws Exception {
        return client.post(JsonRpcClient.request(1, method, params), "Authorization", "Bearer " + token);
    }

    /** Asked with a token of the local role, which the ACL allows everything. */
    private boolean validate(String token) throws Exception {
        String params = new ObjectMapper().createObjectNode().put("token", token).toString();
        return call(token("http://localhost"), "SecurityAgent.1.validate", params).result().asBoolean();
    }

    private Path socket() {
        return etc().getParent().resolve("data/securityagent/token.sock");
    }

    /** What a local application does: write the payload to the connector socket, read the token. */
    private String token(String payload) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket()));
            channel.write(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            String answer = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8).trim();
            // closed without an answer: the agent restarted (on a configuration change) meanwhile
            if (answer.isEmpty() || answer.startsWith("error")) {
                throw new AssertionError("no token for " + payload + ": " + answer);
            }
            return answer;
        }
    }

    private static JsonNode claims(String token) throws IOException {
        return new ObjectMapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }
}

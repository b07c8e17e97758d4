package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import dev.switchboard.api.security.Decision;
import dev.switchboard.api.security.SecurityOfficer;

/** Enforcement on: fail closed without a security officer, and the officer's decisions applied to every call. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EnforcementIT extends SwitchboardTestSupport {

    /** Shaped like a JWT, as a browser would pass it in Sec-WebSocket-Protocol. */
    private static final String JWT_SHAPED = "eyJhbGciOiJIUzI1NiJ9.eyJ1cmwiOiJodHRwOi8vbG9jYWxob3N0In0.c2lnbmF0dXJl";

    /** Allows tokens "good" and JWT_SHAPED everything but Fixture's fail; knows no other token. */
    private static final SecurityOfficer OFFICER = (token, call) -> {
        if (!"good".equals(token) && !JWT_SHAPED.equals(token)) {
            return Decision.UNAUTHENTICATED;
        }
        return call.method().equals("fail") ? Decision.DENIED : Decision.ALLOWED;
    };

    @Override
    protected String rpcConfiguration() {
        return "enforce=true\n";
    }

    @Test
    public void failsClosedWithoutASecurityOfficerThenAppliesItsDecisions() throws Exception {
        configure("fixture", "Fixture");
        JsonRpcClient client = client();
        eventually(Duration.ofSeconds(30), () -> client.call("Controller.1.exists", "{\"method\":\"status\"}").status() == 200);
        assertTrue(client.call("Controller.1.exists", "{\"method\":\"status\"}").result().asBoolean());
        JsonRpcClient.Reply refused = client.call("Controller.1.status", null);
        assertEquals(401, refused.status());
        assertEquals(401, client.call("DeviceInfo.1.systeminfo", null).status());
        assertEquals(401, client.post(JsonRpcClient.request(1, "DeviceInfo.1.versions", null), "Authorization", "Bearer good").status());

        JsonRpcClient.Socket socket = client.openWebSocket("?token=good");
        socket.send(JsonRpcClient.request(1, "DeviceInfo.1.versions", null));
        assertEquals(-32604, socket.next().get("error").get("code").asInt());
        socket.close();

        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, 10);
        ServiceRegistration<SecurityOfficer> registration = context.registerService(SecurityOfficer.class, OFFICER, properties);
        try {
            awaitPluginWithToken("Fixture");
            assertEquals(401, client.call("Fixture.1.versions", null).status());
            assertEquals(401, client.post(JsonRpcClient.request(1, "Fixture.1.versions", null), "Authorization", "Bearer bad").status());
            JsonRpcClient.Reply allowed = client.post(JsonRpcClient.request(1, "Fixture.1.echo", "{\"text\":\"t\"}"), "Authorization", "Bearer good");
            assertEquals("hello t from Fixture", allowed.result().asText());
            JsonRpcClient.Reply denied = client.post(JsonRpcClient.request(1, "Fixture.1.fail", null), "Authorization", "Bearer good");
            assertEquals(200, denied.status());
            assertEquals(-32604, denied.errorCode());
            JsonRpcClient.Reply whoami = client.post(JsonRpcClient.request(1, "Fixture.1.whoami", null), "Authorization", "Bearer good");
            assertEquals("good", whoami.result().get("token").asText());

            JsonRpcClient.Socket withToken = client.openWebSocket("?token=good");
            withToken.send(JsonRpcClient.request(2, "Fixture.1.echo", "{\"text\":\"w\"}"));
            assertEquals("hello w from Fixture", withToken.next().get("result").asText());
            withToken.send(JsonRpcClient.request(3, "Fixture.1.fail", null));
            assertEquals(-32604, withToken.next().get("error").get("code").asInt());
            withToken.close();

            JsonRpcClient.Socket viaSubprotocol = client.openWebSocket("", "notification", JWT_SHAPED);
            assertEquals("notification", viaSubprotocol.subprotocol());
            viaSubprotocol.send(JsonRpcClient.request(5, "Fixture.1.whoami", null));
            assertEquals(JWT_SHAPED, viaSubprotocol.next().get("result").get("token").asText());
            viaSubprotocol.close();

            JsonRpcClient.Socket withoutToken = client.openWebSocket("");
            withoutToken.send(JsonRpcClient.request(4, "Fixture.1.echo", "{\"text\":\"w\"}"));
            assertEquals(-32604, withoutToken.next().get("error").get("code").asInt());
            withoutToken.close();
        } finally {
            registration.unregister();
        }
        assertEquals(401, client.post(JsonRpcClient.request(1, "Fixture.1.versions", null), "Authorization", "Bearer good").status());
    }

    private void awaitPluginWithToken(String callsign) throws Exception {
        JsonRpcClient client = client();
        eventually(Duration.ofSeconds(30), () -> client.post(JsonRpcClient.request(1, callsign + ".1.versions", null),
                "Authorization", "Bearer good").json().has("result"));
    }
}

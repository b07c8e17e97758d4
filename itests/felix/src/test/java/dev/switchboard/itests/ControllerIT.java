package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.api.security.Decision;
import dev.switchboard.api.security.SecurityOfficer;

/** The whole Controller as Thunder R5 documents it, over real HTTP and WebSocket, bad input included. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ControllerIT extends SwitchboardTestSupport {

    private static final String[] R5_METHODS = {"status", "services", "activate", "deactivate", "hibernate", "suspend",
        "resume", "clone", "destroy", "persist", "storeconfig", "reboot", "harakiri", "startdiscovery",
        "discoveryresults", "environment", "subsystems", "links", "framework", "version", "buildinfo", "configuration",
        "versions", "exists", "register", "unregister"};

    private JsonRpcClient.Reply call(String method, String params) throws Exception {
        return client().call(method, params);
    }

    @Test
    public void everyMethodIsInExistsAndStatusSpeaksThunder() throws Exception {
        awaitPlugin("DeviceInfo");
        for (String method : R5_METHODS) {
            assertTrue(method, call("Controller.1.exists", "{\"method\":\"" + method + "\"}").result().asBoolean());
        }
        assertFalse(call("Controller.1.exists", "{\"method\":\"processinfo\"}").result().asBoolean());
        JsonNode deviceInfo = call("Controller.1.status@DeviceInfo", null).result().get(0);
        assertEquals("DeviceInfo", deviceInfo.get("classname").asText());
        assertEquals("dev.switchboard.deviceinfo", deviceInfo.get("locator").asText());
        assertEquals("Activated", deviceInfo.get("state").asText());
        JsonNode controller = call("Controller.1.services@Controller", null).result().get(0);
        assertEquals("Controller", controller.get("classname").asText());
        assertEquals("Activated", controller.get("state").asText());
    }

    @Test
    public void hostFactsAreAnswered() throws Exception {
        JsonNode version = call("Controller.1.version", null).result();
        assertEquals(version, call("Controller.1.framework", null).result());
        assertTrue(version.get("major").isInt() && version.has("minor") && version.has("patch"));
        JsonNode build = call("Controller.1.buildinfo", null).result();
        assertEquals("Linux", build.get("systemtype").asText());
        assertEquals(4, build.get("threadpoolcount").asInt());
        assertEquals(30_000, build.get("comrpctimeout").asLong());
        for (java.util.Map.Entry<String, String> variable : System.getenv().entrySet()) {
            if (variable.getKey().matches("[A-Za-z0-9_]+")) {
                assertEquals(variable.getValue(),
                        call("Controller.1.environment@" + variable.getKey(), null).result().asText());
                break;
            }
        }
        assertEquals(-31022, call("Controller.1.environment@SWITCHBOARD_NO_SUCH_VARIABLE", null).errorCode());
        assertEquals("no name", -32602, call("Controller.1.environment", null).errorCode());
        assertEquals("an empty index", -31015, call("Controller.1.environment@", null).errorCode());
        assertTrue(call("Controller.1.startdiscovery", "{\"ttl\":1}").result().isNull());
        assertEquals(-32602, call("Controller.1.startdiscovery", "{\"ttl\":0}").errorCode());
        assertEquals(-32602, call("Controller.1.startdiscovery", "{\"ttl\":256}").errorCode());
        assertEquals(0, call("Controller.1.discoveryresults", null).result().size());
        assertEquals("off unless configured", -32604, call("Controller.1.reboot", null).errorCode());
        assertEquals(-32604, call("Controller.1.harakiri", null).errorCode());
        assertEquals("-32602: read-only", -32602, call("Controller.1.subsystems", "{\"x\":1}").errorCode());
    }

    @Test
    public void linksListTheOpenWebSocketsAndSubsystemsFollowTheSecurityOfficer() throws Exception {
        JsonRpcClient.Socket socket = client().openWebSocket("");
        socket.send(JsonRpcClient.request(1, "Controller.1.register", "{\"event\":\"subsystemchange\",\"id\":\"sub\"}"));
        assertTrue(socket.nextMatching("id", "1").get("result").isNull());
        socket.send(JsonRpcClient.request(2, "Controller.1.links", null));
        JsonNode links = socket.nextMatching("id", "2").get("result");
        assertTrue(links.toString(), links.size() >= 1);
        assertEquals("WebSocket", links.get(0).get("state").asText());
        assertTrue(links.get(0).get("remote").asText().contains("127.0.0.1"));
        assertTrue(links.get(0).get("activity").asBoolean());

        assertFalse(security(call("Controller.1.subsystems", null).result()));
        ServiceRegistration<SecurityOfficer> officer = context.registerService(SecurityOfficer.class,
                (token, call) -> Decision.ALLOWED, new Hashtable<>());
        try {
            JsonNode change = socket.nextMatching("method", "sub.subsystemchange");
            assertTrue(security(change.get("params")));
            assertTrue(security(call("Controller.1.subsystems", null).result()));
        } finally {
            officer.unregister();
        }
        assertFalse(security(socket.nextMatching("method", "sub.subsystemchange").get("params")));
        socket.close();
    }

    private static boolean security(JsonNode subsystems) {
        for (JsonNode subsystem : subsystems) {
            if (subsystem.get("subsystem").asText().equals("Security")) {
                return subsystem.get("active").asBoolean();
            }
        }
        throw new AssertionError("no Security in " + subsystems);
    }

    @Test
    public void aCloneRunsWithTheOriginalsConfigurationIsPersistedAndOnlyAClonesIsDestroyed() throws Exception {
        configure("fixture", "Original", "greeting", "hi");
        awaitPlugin("Original");
        assertEquals("Copy", call("Controller.1.clone", "{\"callsign\":\"Original\",\"newcallsign\":\"Copy\"}").result().asText());
        awaitPlugin("Copy");
        assertEquals("hi t from Copy", call("Copy.1.echo", "{\"text\":\"t\"}").result().asText());
        JsonNode copy = call("Controller.1.status@Copy", null).result().get(0);
        assertEquals("Fixture", copy.get("classname").asText());
        assertEquals("hi", copy.get("configuration").get("greeting").asText());

        assertEquals("onto an existing callsign", -31029,
                call("Controller.1.clone", "{\"callsign\":\"Original\",\"newcallsign\":\"DeviceInfo\"}").errorCode());
        assertEquals(-31022, call("Controller.1.clone", "{\"callsign\":\"Nobody\",\"newcallsign\":\"X\"}").errorCode());
        assertEquals(-32604, call("Controller.1.clone", "{\"callsign\":\"Controller\",\"newcallsign\":\"C2\"}").errorCode());
        assertEquals(-32604, call("Controller.1.clone", "{\"callsign\":\"Original\",\"newcallsign\":\"Controller\"}").errorCode());
        for (String bad : new String[] {"{\"callsign\":\"Original\"}", "{\"callsign\":\"Original\",\"newcallsign\":\"\"}",
            "{\"callsign\":\"Original\",\"newcallsign\":\"a/b\"}", "{\"callsign\":\"Original\",\"newcallsign\":\"" + "x".repeat(65) + "\"}",
            "{}"}) {
            assertEquals(bad, -32602, call("Controller.1.clone", bad).errorCode());
        }

        assertEquals("not a clone", -32604, call("Controller.1.destroy", "{\"callsign\":\"Original\"}").errorCode());
        assertEquals(-32604, call("Controller.1.destroy", "{\"callsign\":\"Controller\"}").errorCode());
        assertEquals(-31022, call("Controller.1.destroy", "{\"callsign\":\"Nobody\"}").errorCode());
        assertEquals(-32602, call("Controller.1.destroy", "{}").errorCode());

        assertTrue(call("Controller.1.storeconfig", null).result().isNull());
        Path file = etc().resolve("dev.switchboard.fixture-Copy.cfg");
        String persisted = Files.readString(file);
        assertTrue(persisted, persisted.contains("greeting = hi") && persisted.contains("callsign = Copy")
                && persisted.contains(".switchboard.clonedFrom = Original") && !persisted.contains("service.pid"));
        assertTrue(call("Controller.1.persist", null).result().isNull());
        assertEquals("FileInstall reads it as the same configuration", "hi t from Copy",
                call("Copy.1.echo", "{\"text\":\"t\"}").result().asText());

        assertTrue(call("Controller.1.destroy", "{\"callsign\":\"Copy\"}").result().isNull());
        eventually(Duration.ofSeconds(10), () -> call("Copy.1.versions", null).json().path("error").path("code").asInt() == -31043);
        assertEquals(-31022, call("Controller.1.status@Copy", null).errorCode());
        assertFalse("its file goes with it", Files.exists(file));
        assertEquals("hi t from Original", call("Original.1.echo", "{\"text\":\"t\"}").result().asText());
    }

    @Test
    public void aPluginThatCanIsSuspendedAndResumedOthersAreNot() throws Exception {
        configure("fixture", "Pausable");
        awaitPlugin("Pausable");
        JsonRpcClient.Socket socket = client().openWebSocket("");
        socket.send(JsonRpcClient.request(1, "Controller.1.register@Pausable",
                "{\"event\":\"statecontrolstatechange\",\"id\":\"sc\"}"));
        assertTrue(socket.nextMatching("id", "1").get("result").isNull());

        assertTrue(call("Controller.1.suspend", "{\"callsign\":\"Pausable\"}").result().isNull());
        JsonNode suspended = socket.nextMatching("method", "sc.statecontrolstatechange@Pausable");
        assertEquals("Suspended", suspended.get("params").get("state").asText());
        assertEquals("(suspended) hello t from Pausable", call("Pausable.1.echo", "{\"text\":\"t\"}").result().asText());
        assertTrue(call("Controller.1.resume", "{\"callsign\":\"Pausable\"}").result().isNull());
        assertEquals("Resumed", socket.nextMatching("method", "sc.statecontrolstatechange@Pausable").get("params")
                .get("state").asText());
        assertEquals("hello t from Pausable", call("Pausable.1.echo", "{\"text\":\"t\"}").result().asText());
        socket.close();

        assertEquals("cannot", -31044, call("Controller.1.suspend", "{\"callsign\":\"DeviceInfo\"}").errorCode());
        assertEquals(-31044, call("Controller.1.resume", "{\"callsign\":\"DeviceInfo\"}").errorCode());
        assertEquals(-31022, call("Controller.1.suspend", "{\"callsign\":\"Nobody\"}").errorCode());
        assertEquals(-32604, call("Controller.1.suspend", "{\"callsign\":\"Controller\"}").errorCode());
        assertEquals("in-process", -31047, call("Controller.1.hibernate", "{\"callsign\":\"Pausable\",\"timeout\":0}").errorCode());
    }

    @Test
    public void registerAtACallsignGetsThatPluginsChangesAndAllGetsEveryEvent() throws Exception {
        configure("fixture", "Watched");
        configure("fixture", "Other");
        awaitPlugin("Watched");
        awaitPlugin("Other");
        JsonRpcClient.Socket socket = client().openWebSocket("");
        socket.send(JsonRpcClient.request(1, "Controller.1.register@Watched", "{\"event\":\"statechange\",\"id\":\"w\"}"));
        socket.send(JsonRpcClient.request(2, "Controller.1.register", "{\"event\":\"all\",\"id\":\"every\"}"));
        assertTrue(socket.nextMatching("id", "1").get("result").isNull());
        socket.send(JsonRpcClient.request(3, "Controller.1.register@Watched", "{\"event\":\"statechange\",\"id\":\"w\"}"));
        assertEquals(-31048, socket.nextMatching("id", "3").get("error").get("code").asInt());

        assertTrue(call("Controller.1.deactivate", "{\"callsign\":\"Other\"}").result().isNull());
        assertTrue(call("Controller.1.deactivate", "{\"callsign\":\"Watched\"}").result().isNull());
        JsonNode change = socket.nextMatching("method", "w.statechange@Watched");
        assertEquals("Watched", change.get("params").get("callsign").asText());
        assertEquals("Deactivated", change.get("params").get("state").asText());
        assertEquals("Requested", change.get("params").get("reason").asText());

        configure("fixture", "Fixture");
        awaitPlugin("Fixture");
        call("Fixture.1.emit", "{\"event\":\"ping\",\"message\":\"m\"}");
        JsonNode forwarded;
        do {
            forwarded = socket.nextMatching("method", "every.all");
        } while (!forwarded.get("params").get("event").asText().equals("ping"));
        assertEquals("Fixture", forwarded.get("params").get("callsign").asText());
        assertEquals("m", forwarded.get("params").get("params").get("message").asText());
        socket.close();
    }

    @Test
    public void deviceInfoTellsItsSocketsFirmwareAndIdentityAndNothingItCannotKnow() throws Exception {
        awaitPlugin("DeviceInfo");
        JsonNode before = call("DeviceInfo.1.socketinfo", null).result();
        JsonRpcClient.Socket socket = client().openWebSocket("");
        socket.send(JsonRpcClient.request(1, "DeviceInfo.1.socketinfo", null));
        JsonNode during = socket.nextMatching("id", "1").get("result");
        assertEquals(before.get("total").asLong() + 1, during.get("total").asLong());
        assertTrue(during.toString(), during.get("open").asLong() >= 1);
        assertTrue(during.get("runs").asLong() > before.get("runs").asLong());
        socket.close();

        String firmware = call("DeviceInfo.1.firmwareversion", null).result().get("imagename").asText();
        assertTrue(firmware, firmware.startsWith("switchboard-"));
        JsonNode identity = call("DeviceInfo.1.deviceinfo", null).result();
        assertEquals(call("DeviceInfo.1.systeminfo", null).result().get("devicename").asText(),
                identity.get("friendlyname").asText());
        assertEquals(System.getProperty("os.name"), identity.get("platformname").asText());
        for (String unknown : new String[] {"sku", "modelyear", "distributorid", "devicetype"}) {
            assertFalse(unknown, identity.has(unknown));
        }
        for (String absent : new String[] {"hostedid", "supportedaudioports", "make"}) {
            assertFalse(absent, call("DeviceInfo.1.exists", "{\"method\":\"" + absent + "\"}").result().asBoolean());
        }
    }
}

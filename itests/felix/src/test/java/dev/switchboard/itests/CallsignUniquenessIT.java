package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.Configuration;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A callsign names one instance: a second configuration claiming one in use, from an {@code etc/}
 * file, a plugin file, Config Admin or {@code Controller.configuration}, is refused and never answers.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CallsignUniquenessIT extends SwitchboardTestSupport {

    private static final String ECHO = "{\"text\":\"x\"}";

    /** Every status entry of the callsign, read from the full list. */
    private List<JsonNode> statusOf(String callsign) throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        for (JsonNode entry : client().call("Controller.1.status", null).result()) {
            if (callsign.equals(entry.path("callsign").asText())) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private JsonNode refusedEntry(String callsign) throws Exception {
        for (JsonNode entry : statusOf(callsign)) {
            if ("InstantiationFailed".equals(entry.path("reason").asText())) {
                return entry;
            }
        }
        return null;
    }

    private void assertDeviceInfoStillAnswers() throws Exception {
        JsonRpcClient client = client();
        assertEquals("JDeviceInfo", client.call("DeviceInfo.1.versions", null).result().get(0).get("name").asText());
        assertEquals("the second configuration does not answer", -32601,
                client.call("DeviceInfo.1.echo", ECHO).errorCode());
    }

    @Test
    public void anEtcFileClaimingACallsignInUseIsRefusedAndNeverAnswers() throws Exception {
        awaitPlugin("DeviceInfo");
        writeEtc("dev.switchboard.fixture-Imposter.cfg", "callsign=DeviceInfo\ngreeting=forged\n");
        eventually(Duration.ofSeconds(15), () -> refusedEntry("DeviceInfo") != null);
        JsonNode refused = refusedEntry("DeviceInfo");
        assertEquals("Unavailable", refused.get("state").asText());
        assertTrue(refused.get("detail").asText(), refused.get("detail").asText().contains("dev.switchboard.deviceinfo~DeviceInfo"));
        assertEquals(2, statusOf("DeviceInfo").size());
        assertEquals("status@ answers the holder", "Activated",
                client().call("Controller.1.status@DeviceInfo", null).result().get(0).get("state").asText());
        assertDeviceInfoStillAnswers();
        Files.delete(etc().resolve("dev.switchboard.fixture-Imposter.cfg"));
        eventually(Duration.ofSeconds(15), () -> statusOf("DeviceInfo").size() == 1);
    }

    @Test
    public void aConfigurationMadeThroughConfigAdminIsRefusedUntilTheHolderIsGone() throws Exception {
        Configuration first = named("fixture", "first", "Twin", "one");
        awaitPlugin("Twin");
        Configuration second = named("fixture", "second", "Twin", "two");
        eventually(Duration.ofSeconds(10), () -> refusedEntry("Twin") != null);
        assertEquals("one x from Twin", client().call("Twin.1.echo", ECHO).result().asText());

        first.delete();
        eventually(Duration.ofSeconds(15), () -> "two x from Twin".equals(
                client().call("Twin.1.echo", ECHO).json().path("result").asText()));
        assertEquals(1, statusOf("Twin").size());
        second.delete();
    }

    @Test
    public void aPluginFileClaimingACallsignInUseIsRefusedAndTheNextFileStillImported() throws Exception {
        awaitPlugin("DeviceInfo");
        // imported in name order: once Zeta answers, Evil has been looked at
        writeEtc("plugins/Evil.json", "{\"callsign\":\"DeviceInfo\",\"classname\":\"Fixture\"}");
        writeEtc("plugins/Zeta.json", "{\"callsign\":\"Zeta\",\"classname\":\"Fixture\"}");
        awaitPlugin("Zeta");
        assertEquals("no configuration was made of the refused file", 0,
                count("(&(callsign=DeviceInfo)(service.factoryPid=dev.switchboard.fixture))"));
        assertEquals(1, statusOf("DeviceInfo").size());
        assertDeviceInfoStillAnswers();
    }

    @Test
    public void deletingAnImportedPluginFileRemovesItsInstance() throws Exception {
        writeEtc("plugins/Passing.json", "{\"callsign\":\"Passing\",\"classname\":\"Fixture\"}");
        awaitPlugin("Passing");
        Files.delete(etc().resolve("plugins/Passing.json"));
        eventually(Duration.ofSeconds(15), () -> client().call("Passing.1.echo", ECHO).json().has("error"));
        eventually(Duration.ofSeconds(15), () -> count("(callsign=Passing)") == 0);
        assertEquals(-31022, client().call("Controller.1.status@Passing", null).errorCode());
    }

    @Test
    public void aPluginFileNamingAnUnknownClassnameIsReportedWithAReason() throws Exception {
        writeEtc("plugins/Ghost.json", "{\"callsign\":\"Ghost\",\"classname\":\"NoSuchPlugin\"}");
        eventually(Duration.ofSeconds(15), () -> client().call("Controller.1.status@Ghost", null).json().has("result"));
        JsonNode ghost = client().call("Controller.1.status@Ghost", null).result().get(0);
        assertEquals("Unavailable", ghost.get("state").asText());
        assertEquals("InstantiationFailed", ghost.get("reason").asText());
        assertTrue("no bundle: no locator", ghost.get("locator").isNull());
        assertTrue(ghost.get("detail").asText().contains("dev.switchboard.nosuchplugin"));
    }

    @Test
    public void theControllerDoesNotLetAConfigurationTakeAnotherCallsign() throws Exception {
        configure("fixture", "Renamer");
        awaitPlugin("Renamer");
        assertEquals(-32602, client().call("Controller.1.configuration@Renamer", "{\"callsign\":\"DeviceInfo\"}").errorCode());
        assertTrue(command("config", "Renamer", "callsign", "DeviceInfo").startsWith("error:"));
        assertEquals("Renamer", configAdmin.listConfigurations("(callsign=Renamer)")[0].getProperties().get("callsign"));
        assertEquals(1, statusOf("DeviceInfo").size());
        assertDeviceInfoStillAnswers();
    }

    @Test
    public void anUnknownStartModeLeavesThePluginDeactivated() throws Exception {
        configure("fixture", "Odd", "startmode", "Sometimes");
        eventually(Duration.ofSeconds(10), () -> client().call("Controller.1.status@Odd", null).json().has("result"));
        JsonNode odd = client().call("Controller.1.status@Odd", null).result().get(0);
        assertEquals("Deactivated", odd.get("startmode").asText());
        assertEquals("Deactivated", odd.get("state").asText());
        assertFalse(client().call("Odd.1.echo", ECHO).json().has("result"));
    }

    private Configuration named(String kind, String name, String callsign, String greeting) throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("callsign", callsign);
        properties.put("greeting", greeting);
        Configuration configuration = configAdmin.getFactoryConfiguration("dev.switchboard." + kind, name, "?");
        configuration.update(properties);
        return configuration;
    }

    private int count(String filter) throws Exception {
        Configuration[] found = configAdmin.listConfigurations(filter);
        return found == null ? 0 : found.length;
    }
}

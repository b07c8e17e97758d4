package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import com.fasterxml.jackson.databind.JsonNode;

/** Instances by callsign, live configuration, states, and plugins coming and going while the host runs. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PluginLifecycleIT extends SwitchboardTestSupport {

    @Test
    public void twoInstancesOfOneKindAnswerIndependently() throws Exception {
        configure("fixture", "Alpha", "greeting", "hi");
        configure("fixture", "Beta", "greeting", "hey");
        awaitPlugin("Alpha");
        awaitPlugin("Beta");
        JsonRpcClient client = client();
        assertEquals("hi x from Alpha", client.call("Alpha.1.echo", "{\"text\":\"x\"}").result().asText());
        assertEquals("hey x from Beta", client.call("Beta.1.echo", "{\"text\":\"x\"}").result().asText());
        client.call("Alpha.1.value@k", "{\"text\":\"alpha's\"}");
        assertTrue(client.call("Beta.1.value@k", null).result().isNull());
    }

    @Test
    public void configurationSetThroughControllerAppliesLive() throws Exception {
        configure("fixture", "Live", "greeting", "hi", "password", "s3cret");
        awaitPlugin("Live");
        JsonRpcClient client = client();
        JsonNode config = client.call("Controller.1.configuration@Live", null).result();
        assertEquals("hi", config.get("greeting").asText());
        assertEquals("secrets are not shown", "********", config.get("password").asText());

        // what was read, changed and sent back: the masked secret keeps its stored value
        assertTrue(client.call("Controller.1.configuration@Live",
                "{\"greeting\":\"bonjour\",\"password\":\"********\"}").json().has("result"));
        assertEquals("s3cret", configAdmin.listConfigurations("(callsign=Live)")[0].getProperties().get("password"));
        eventually(Duration.ofSeconds(10), () -> client.call("Live.1.echo", "{\"text\":\"x\"}").json().path("result").asText().equals("bonjour x from Live"));
        assertEquals("bonjour", client.call("Controller.1.configuration@Live", null).result().get("greeting").asText());
        assertEquals(-31022, client.call("Controller.1.configuration@Nobody", null).errorCode());
    }

    @Test
    public void configurationFileInEtcAppliesLive() throws Exception {
        writeEtc("dev.switchboard.fixture-FromFile.cfg", "callsign=FromFile\ngreeting=salut\n");
        awaitPlugin("FromFile");
        JsonRpcClient client = client();
        assertEquals("salut x from FromFile", client.call("FromFile.1.echo", "{\"text\":\"x\"}").result().asText());
        writeEtc("dev.switchboard.fixture-FromFile.cfg", "callsign=FromFile\ngreeting=ciao\n");
        eventually(Duration.ofSeconds(15), () -> client.call("FromFile.1.echo", "{\"text\":\"x\"}").json().path("result").asText().equals("ciao x from FromFile"));
    }

    @Test
    public void thunderPluginFileIsImported() throws Exception {
        writeEtc("plugins/Imported.json", "{\"callsign\":\"Imported\",\"classname\":\"Fixture\",\"locator\":\"libFixture.so\",\"startmode\":\"Activated\","
                        + "\"configuration\":{\"greeting\":\"hallo\"}}");
        awaitPlugin("Imported");
        assertEquals("hallo x from Imported", client().call("Imported.1.echo", "{\"text\":\"x\"}").result().asText());
    }

    @Test
    public void statusShowsStatesAndDeactivatedPluginsAreNotActive() throws Exception {
        configure("fixture", "Gamma");
        awaitPlugin("Gamma");
        JsonRpcClient client = client();
        JsonNode status = client.call("Controller.1.status@Gamma", null).result().get(0);
        assertEquals("Gamma", status.get("callsign").asText());
        assertEquals("Activated", status.get("state").asText());
        assertEquals("JFixture", status.get("version").get(0).get("name").asText());

        assertTrue(client.call("Controller.1.deactivate", "{\"callsign\":\"Gamma\"}").json().has("result"));
        eventually(Duration.ofSeconds(10), () -> client.call("Gamma.1.versions", null).json().has("error"));
        assertEquals(-31002, client.call("Gamma.1.echo", "{\"text\":\"x\"}").errorCode());
        assertEquals("Deactivated", client.call("Controller.1.status@Gamma", null).result().get(0).get("state").asText());

        assertTrue(client.call("Controller.1.activate", "{\"callsign\":\"Gamma\"}").json().has("result"));
        awaitPlugin("Gamma");
        assertEquals(-31022, client.call("Controller.1.activate", "{\"callsign\":\"Nobody\"}").errorCode());
        assertEquals(-32604, client.call("Controller.1.deactivate", "{\"callsign\":\"Controller\"}").errorCode());
        JsonNode all = client.call("Controller.1.status", null).result();
        assertTrue(all.size() >= 3);
    }

    @Test
    public void failingActivationShowsInitializationFailedAndTheHostKeepsRunning() throws Exception {
        configure("fixture", "Broken", "failActivation", Boolean.TRUE);
        JsonRpcClient client = client();
        eventually(Duration.ofSeconds(10), () -> {
            JsonNode status = client.call("Controller.1.status@Broken", null).json().path("result").path(0);
            return status.path("reason").asText().equals("InitializationFailed");
        });
        JsonNode status = client.call("Controller.1.status@Broken", null).result().get(0);
        assertEquals("Deactivated", status.get("state").asText());
        assertEquals("Thunder's class name of the kind", "Fixture", status.get("classname").asText());
        assertEquals("dev.switchboard.itests.fixture", status.get("locator").asText());
        assertTrue(status.get("detail").asText(), status.get("detail").asText().contains("configured to fail its activation"));
        assertTrue(client.call("Broken.1.echo", "{\"text\":\"x\"}").json().has("error"));
        assertEquals(-31005, client.call("Controller.1.activate", "{\"callsign\":\"Broken\"}").errorCode());
        awaitPlugin("DeviceInfo");
    }

    @Test
    public void pluginBundleUpdatedWhileAnotherClientKeepsCalling() throws Exception {
        configure("fixture", "Steady");
        awaitPlugin("Steady");
        awaitPlugin("DeviceInfo");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Thread caller = new Thread(() -> {
            JsonRpcClient client = client();
            while (running.get()) {
                try {
                    if (client.call("Steady.1.echo", "{\"text\":\"x\"}").json().has("result")) {
                        answered.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
            }
        });
        caller.start();
        Bundle deviceInfo = installedBundle("dev.switchboard.deviceinfo");
        for (int i = 0; i < 3; i++) {
            deviceInfo.update();
            awaitPlugin("DeviceInfo");
        }
        deviceInfo.stop();
        eventually(Duration.ofSeconds(10), () -> client().call("DeviceInfo.1.versions", null).json().has("error"));
        deviceInfo.start();
        awaitPlugin("DeviceInfo");
        int before = answered.get();
        eventually(Duration.ofSeconds(10), () -> answered.get() > before + 10);
        running.set(false);
        caller.join();
        assertEquals("calls to another plugin failed during the updates", 0, failed.get());
        assertTrue(client().call("DeviceInfo.1.systeminfo", null).result().get("totalram").asLong() > 0);
    }
}

package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Runs the built distribution as a user would: a separate process, real port, SIGTERM to stop. */
public class LauncherProcessIT {

    private Distribution distribution;

    @Before
    public void copyDistribution() throws Exception {
        distribution = Distribution.copy();
    }

    @After
    public void stop() {
        distribution.stop();
    }

    @Test
    public void servesOnTheGivenPortAndStopsCleanlyOnSigterm() throws Exception {
        int port = Distribution.freePort();
        JsonRpcClient client = distribution.start(port);
        Process process = distribution.process();
        assertEquals("enforcement is on by default", 401, client.call("DeviceInfo.1.versions", null).status());

        String token = distribution.issueToken("http://localhost");
        String[] bearer = {"Authorization", "Bearer " + token};
        JsonNode versions = distribution.awaitResult(client, JsonRpcClient.request(1, "DeviceInfo.1.versions", null),
                bearer);
        assertEquals("JDeviceInfo", versions.get(0).get("name").asText());
        assertTrue(client.post(JsonRpcClient.request(2, "DeviceInfo.1.systeminfo", null), bearer).result().get("uptime").asLong() >= 0);
        assertTrue(client.post(JsonRpcClient.request(3, "Controller.1.status", null), bearer).result().size() >= 3);
        assertTrue(client.post(JsonRpcClient.request(4, "SecurityAgent.1.validate", "{\"token\":\"" + token + "\"}"), bearer)
                .result().asBoolean());
        String foreign = distribution.issueToken("https://elsewhere.example");
        assertEquals(-32604, client.post(JsonRpcClient.request(5, "DeviceInfo.1.versions", null),
                "Authorization", "Bearer " + foreign).errorCode());

        String console = distribution.console();
        assertTrue("does not say where it serves:\n" + console, console.contains("127.0.0.1:" + port));
        JsonRpcClient.Reply reboot = client.post(JsonRpcClient.request(6, "Controller.1.reboot", null), bearer);
        assertEquals("the shipped ACL denies it to local tokens too", -32604, reboot.errorCode());
        assertTrue(reboot.body(), reboot.body().contains("not allowed for this token"));

        JsonRpcClient.Socket watcher = client.openWebSocket("?token=" + token);
        watcher.send(JsonRpcClient.request(7, "Controller.1.register", "{\"event\":\"statechange\",\"id\":\"w\"}"));
        assertTrue(watcher.nextMatching("id", "7").get("result").isNull());
        java.util.Set<String> activated = new java.util.TreeSet<>();
        for (JsonNode plugin : client.post(JsonRpcClient.request(8, "Controller.1.status", null), bearer).result()) {
            if (plugin.get("state").asText().equals("Activated")) {
                activated.add(plugin.get("callsign").asText());
            }
        }
        assertTrue(activated.toString(), activated.containsAll(java.util.List.of("Controller", "DeviceInfo", "SecurityAgent")));
        process.destroy(); // SIGTERM
        // a plugin still starting may announce its activation first
        java.util.Set<String> stopped = new java.util.TreeSet<>();
        while (!stopped.containsAll(activated)) {
            JsonNode change = watcher.nextMatching("method", "w.statechange").get("params");
            if (change.get("reason").asText().equals("Shutdown")) {
                assertEquals(change.toString(), "Deactivated", change.get("state").asText());
                stopped.add(change.get("callsign").asText());
            }
        }
        // the first stop also writes the class-data archive
        assertTrue("did not stop within 120 s of SIGTERM", process.waitFor(120, TimeUnit.SECONDS));
        int exit = process.exitValue();
        assertTrue("exit code " + exit, exit == 0 || exit == 143);
        assertTrue("nothing logged to log/", Files.size(distribution.home().resolve("log/switchboard.log")) > 0);
    }

    @Test
    public void saysWhenItStartsAndWhenItIsReadyNamingWhatFailed() throws Exception {
        Path plugins = distribution.home().resolve("etc/plugins");
        assertTrue("the distribution has etc/plugins/", Files.isDirectory(plugins));
        Files.writeString(plugins.resolve("evil.json"), "{\"callsign\":\"SecurityAgent\",\"classname\":\"DeviceInfo\"}");
        Files.writeString(plugins.resolve("ghost.json"), "{\"callsign\":\"Ghost\",\"classname\":\"NoSuchPlugin\"}");
        int port = Distribution.freePort();
        JsonRpcClient client = distribution.start(port);

        String ready = distribution.awaitConsoleLine("Switchboard ready in ", Duration.ofSeconds(120));
        assertTrue(ready, ready.contains("failed: Ghost (InstantiationFailed: no installed bundle provides plugin kind dev.switchboard.nosuchplugin)"));
        assertTrue(ready, ready.matches(".*ready in \\d+\\.\\d s: 4 of 5 plugins activated.*"));
        String console = distribution.console();
        assertTrue(console, console.contains("Switchboard " + System.getProperty("switchboard.version") + " starting: Java "
                + Distribution.javaVersion()));
        assertTrue(console, console.contains("home " + distribution.home()));
        assertTrue(console, console.contains("Switchboard JSON-RPC at http://127.0.0.1:" + port + "/jsonrpc"));
        // Pax Logging drops what is logged while it applies etc/ at start, so the refusal is checked on a new version
        distribution.writeEtc("plugins/evil.json",
                "{\"callsign\":\"SecurityAgent\",\"classname\":\"DeviceInfo\",\"startmode\":\"Activated\"}");
        String refused = distribution.awaitConsoleLine("evil.json is refused", Duration.ofSeconds(30));
        assertTrue(refused, refused.contains("ERROR") && refused.contains("Plugin file " + plugins.resolve("evil.json")
                + " is refused: callsign \"SecurityAgent\" is already used by dev.switchboard.securityagent~SecurityAgent"));

        String token = distribution.issueToken("http://localhost");
        assertTrue("the SecurityAgent is still the agent", client.post(JsonRpcClient.request(1,
                "SecurityAgent.1.validate", "{\"token\":\"" + token + "\"}"), "Authorization", "Bearer " + token)
                .result().asBoolean());
    }

    @Test
    public void aCloneWrittenByStoreconfigSurvivesARestartWithoutConfigAdminsStore() throws Exception {
        int port = Distribution.freePort();
        JsonRpcClient client = distribution.start(port);
        String[] bearer = {"Authorization", "Bearer " + distribution.issueToken("http://localhost")};
        distribution.awaitResult(client, JsonRpcClient.request(1, "DeviceInfo.1.versions", null), bearer);
        assertEquals("Spare", client.post(JsonRpcClient.request(2, "Controller.1.clone",
                "{\"callsign\":\"DeviceInfo\",\"newcallsign\":\"Spare\"}"), bearer).result().asText());
        distribution.awaitResult(client, JsonRpcClient.request(3, "Spare.1.versions", null), bearer);
        assertTrue(client.post(JsonRpcClient.request(4, "Controller.1.storeconfig", null), bearer).result().isNull());
        Process process = distribution.process();
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));

        // only etc/ is left to say what runs
        try (java.util.stream.Stream<Path> stored = Files.walk(distribution.home().resolve("data/config"))) {
            stored.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        client = distribution.start(port);
        String[] again = {"Authorization", "Bearer " + distribution.issueToken("http://localhost")};
        JsonNode versions = distribution.awaitResult(client, JsonRpcClient.request(5, "Spare.1.versions", null), again);
        assertEquals("JDeviceInfo", versions.get(0).get("name").asText());
        assertTrue(client.post(JsonRpcClient.request(6, "Controller.1.destroy", "{\"callsign\":\"Spare\"}"), again)
                .result().isNull());
        assertFalse(Files.exists(distribution.home().resolve("etc/dev.switchboard.deviceinfo-Spare.cfg")));
    }

    @Test
    public void versionPrintsTheProjectVersion() throws Exception {
        Process version = new ProcessBuilder(distribution.home().resolve("bin/switchboard").toString(), "--version")
                .redirectErrorStream(true).start();
        String output = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, version.waitFor());
        assertEquals("switchboard " + System.getProperty("switchboard.version"), output);
    }
}

package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Runs the built distribution as a user would: a separate process, real port, SIGTERM to stop. */
public class LauncherProcessIT {

    private Path home;
    private Process process;

    @Before
    public void copyDistribution() throws IOException {
        Path distribution = Path.of(System.getProperty("switchboard.distribution"));
        home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "switchboard");
        try (Stream<Path> files = Files.walk(distribution)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = home.resolve(distribution.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @After
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    public void servesOnTheGivenPortAndStopsCleanlyOnSigterm() throws Exception {
        int port = freePort();
        process = new ProcessBuilder(home.resolve("bin/switchboard").toString(), "--port", String.valueOf(port))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("console.log").toFile())
                .start();
        JsonRpcClient client = new JsonRpcClient(port);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        boolean up = false;
        while (!up && System.nanoTime() < deadline && process.isAlive()) {
            try {
                // open without a token, so a client can tell the host is up; 404 until the servlet is registered
                JsonRpcClient.Reply reply = client.call("Controller.1.exists", "{\"method\":\"status\"}");
                up = reply.status() == 200 && reply.json().path("result").asBoolean();
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!up) {
                Thread.sleep(100);
            }
        }
        assertTrue("launcher did not answer; console:\n" + Files.readString(home.resolve("console.log")), up);
        assertEquals("enforcement is on by default", 401, client.call("DeviceInfo.1.versions", null).status());

        String token = issueToken("http://localhost");
        String[] bearer = {"Authorization", "Bearer " + token};
        JsonNode versions = client.post(JsonRpcClient.request(1, "DeviceInfo.1.versions", null), bearer).result();
        assertEquals("JDeviceInfo", versions.get(0).get("name").asText());
        assertTrue(client.post(JsonRpcClient.request(2, "DeviceInfo.1.systeminfo", null), bearer).result().get("uptime").asLong() >= 0);
        assertTrue(client.post(JsonRpcClient.request(3, "Controller.1.status", null), bearer).result().size() >= 3);
        assertTrue(client.post(JsonRpcClient.request(4, "SecurityAgent.1.validate", "{\"token\":\"" + token + "\"}")).result().asBoolean());
        String foreign = issueToken("https://elsewhere.example");
        assertEquals(-32604, client.post(JsonRpcClient.request(5, "DeviceInfo.1.versions", null),
                "Authorization", "Bearer " + foreign).errorCode());

        String console = Files.readString(home.resolve("console.log"));
        assertTrue("does not say where it serves:\n" + console, console.contains("127.0.0.1:" + port));

        process.destroy(); // SIGTERM
        assertTrue("did not stop within 30 s of SIGTERM", process.waitFor(30, TimeUnit.SECONDS));
        int exit = process.exitValue();
        assertTrue("exit code " + exit, exit == 0 || exit == 143);
        assertTrue("nothing logged to log/", Files.size(home.resolve("log/switchboard.log")) > 0);
    }

    /** What an administrator does: {@code bin/switchboard token <url>}. */
    private String issueToken(String url) throws IOException, InterruptedException {
        Process command = new ProcessBuilder(home.resolve("bin/switchboard").toString(), "token", url)
                .directory(home.toFile()).redirectErrorStream(true).start();
        String output = new String(command.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals("bin/switchboard token failed: " + output, 0, command.waitFor());
        assertEquals("not a JWT: " + output, 3, output.split("\\.").length);
        return output;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

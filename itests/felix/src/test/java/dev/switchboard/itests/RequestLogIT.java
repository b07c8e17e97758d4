package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * What a client without a token can make the host write to {@code log/switchboard.log}: a request
 * is sent with a real curl from its own loopback address (the host logs one line per client
 * address and error code every 10 s), and the log is read as an operator would.
 */
public class RequestLogIT {

    private static Distribution distribution;
    private static int port;

    /** One host for all: each test's clients have addresses of their own. */
    @BeforeClass
    public static void startHost() throws Exception {
        distribution = Distribution.copy();
        port = Distribution.freePort();
        distribution.start(port);
    }

    @AfterClass
    public static void stop() {
        distribution.stop();
    }

    @Test
    public void aMethodNameIsLoggedEscapedOnOneLineAndCut() throws Exception {
        String forged = "Forged\n2026-12-02T10:00:00,000 INFO  [main] dev.switchboard - forged line";
        assertEquals("200", curl("127.0.0.2", 1, request(forged)));
        assertEquals("200", curl("127.0.0.3", 1, request("Nul\\u0000Nul")));
        long before = Files.size(logFile());
        assertEquals("no token", "401", curl("127.0.0.4", 1, request("Long" + "A".repeat(1_000_000))));

        List<String> forgedLines = awaitLines("from 127.0.0.2:", 1);
        assertTrue(forgedLines.get(0), forgedLines.get(0).contains("\"Forged\\n2026-12-02T10:00:00,000 INFO"));
        assertEquals("the forged text starts no line", 1, linesContaining("forged line").size());
        List<String> nulLines = awaitLines("from 127.0.0.3:", 1);
        assertTrue(nulLines.get(0), nulLines.get(0).contains("\"Nul\\u0000Nul\""));
        assertFalse("a NUL reached the log raw", distribution.log().contains("\u0000"));
        String longLine = awaitLines("from 127.0.0.4:", 1).get(0);
        assertTrue(longLine, longLine.contains("...(1000004 chars)"));
        assertTrue("a line of " + longLine.length() + " characters", longLine.length() < 1000);
        assertTrue("the log grew by " + (Files.size(logFile()) - before) + " bytes",
                Files.size(logFile()) - before < 10_000);
    }

    @Test
    public void repeatedRefusalsOfOneClientAreHeldBack() throws Exception {
        long start = System.nanoTime();
        String refused = curl("127.0.0.5", 200, request("DeviceInfo.1.systeminfo"));
        long tenSecondPeriods = Duration.ofNanos(System.nanoTime() - start).toSeconds() / 10 + 1;
        assertEquals("every call answered 401", "401\n".repeat(200).trim(), refused);
        List<String> lines = awaitLines("from 127.0.0.5:", 1);
        assertTrue("one line every 10 s: " + lines, lines.size() <= tenSecondPeriods + 1);
        assertTrue(lines.get(0), lines.get(0).contains("\"DeviceInfo.1.systeminfo\"") && lines.get(0).contains("-32604"));
    }

    @Test
    public void whyATokenIsRefusedIsLoggedOncePerClientAndReason() throws Exception {
        String[] parts = distribution.issueToken("http://localhost").split("\\.");
        String badSignature = parts[0] + "." + parts[1] + "." + "A".repeat(43);
        for (String token : new String[] {badSignature, "not-a-token"}) {
            assertEquals("401\n".repeat(20).trim(),
                    curl("127.0.0.6", 20, request("DeviceInfo.1.systeminfo"), "Authorization: Bearer " + token));
        }
        List<String> signature = awaitLines("Refused the token of 127.0.0.6 (bad signature)", 1);
        List<String> invalid = awaitLines("Refused the token of 127.0.0.6 (invalid)", 1);
        assertEquals(signature.toString(), 1, signature.size());
        assertEquals(invalid.toString(), 1, invalid.size());
        assertTrue(signature.get(0), signature.get(0).contains(" INFO "));
    }

    private static String request(String method) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method.replace("\n", "\\n") + "\"}";
    }

    /** Posts {@code body} {@code times} times from {@code from}; answers the HTTP statuses, one a line. */
    private String curl(String from, int times, String body, String... headers) throws IOException, InterruptedException {
        Path file = Files.createTempFile(distribution.home(), "request", ".json");
        Files.writeString(file, body);
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "--interface", from,
                "-H", "Content-Type: application/json", "--data-binary", "@" + file, "-w", "%{http_code}\n"));
        for (String header : headers) {
            command.addAll(List.of("-H", header));
        }
        for (int i = 0; i < times; i++) {
            command.addAll(List.of("-o", "/dev/null", "http://127.0.0.1:" + port + "/jsonrpc"));
        }
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue("curl did not finish", curl.waitFor(120, TimeUnit.SECONDS));
        assertEquals("curl failed: " + out, 0, curl.exitValue());
        return out;
    }

    private Path logFile() {
        return distribution.home().resolve("log/switchboard.log");
    }

    private List<String> linesContaining(String text) throws IOException {
        return distribution.log().lines().filter(line -> line.contains(text)).toList();
    }

    /** The log's lines containing {@code text}, once there are at least {@code count} (at most 10 s). */
    private List<String> awaitLines(String text, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> lines = linesContaining(text);
        while (lines.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            lines = linesContaining(text);
        }
        assertTrue("no line with " + text + " in the log", lines.size() >= count);
        return lines;
    }
}

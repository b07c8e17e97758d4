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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A copy of the built distribution in its own directory under {@code target/}, run as a user
 * would: {@code bin/switchboard --port N} as a separate process, {@code bin/switchboard token}
 * for a token.
 */
final class Distribution {

    /** The Java runtime the host runs on, when not the one running the tests (-Dswitchboard.java.home). */
    static final String JAVA_HOME = System.getProperty("switchboard.java.home", "");

    private final Path home;
    private Process process;
    private int port;

    private Distribution(Path home) {
        this.home = home;
    }

    /** Copies the distribution named by the system property {@code switchboard.distribution}. */
    static Distribution copy() throws IOException {
        Path distribution = Path.of(System.getProperty("switchboard.distribution"));
        Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "switchboard");
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
        return new Distribution(home);
    }

    Path home() {
        return home;
    }

    /** The port the host was last started on. */
    int port() {
        return port;
    }

    /** The running (or last started) launcher process. */
    Process process() {
        return process;
    }

    /**
     * Starts {@code bin/switchboard --port port}, appending its output to {@code console.log}, and
     * waits until the host answers {@code Controller.1.exists} (open without a token).
     */
    JsonRpcClient start(int port) throws IOException, InterruptedException {
        this.port = port;
        ProcessBuilder launcher = new ProcessBuilder(home.resolve("bin/switchboard").toString(), "--port", String.valueOf(port))
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("console.log").toFile()));
        if (!JAVA_HOME.isEmpty()) {
            launcher.environment().put("JAVA_HOME", JAVA_HOME);
        }
        process = launcher.start();
        JsonRpcClient client = new JsonRpcClient(port);
        // a machine shared with other builds can take a minute to start a JVM's worth of bundles
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        boolean up = false;
        while (!up && System.nanoTime() < deadline && process.isAlive()) {
            try {
                // 404 until the servlet is registered
                JsonRpcClient.Reply reply = client.call("Controller.1.exists", "{\"method\":\"status\"}");
                up = reply.status() == 200 && reply.json().path("result").asBoolean();
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!up) {
                Thread.sleep(100);
            }
        }
        assertTrue("launcher did not answer; console:\n" + console(), up);
        return client;
    }

    /**
     * Posts {@code request} until it is answered with a result: plugins are activated in the seconds after
     * the endpoint and the SecurityAgent are up, and answer -31002 (not active) until then.
     */
    JsonNode awaitResult(JsonRpcClient client, String request, String... headers)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonRpcClient.Reply reply = client.post(request, headers);
            if (reply.json().has("result") || System.nanoTime() > deadline || !process.isAlive()) {
                return reply.result();
            }
            Thread.sleep(100);
        }
    }

    /** Points the Sessions plugin at {@code schema} of a PostgreSQL database instead of the embedded H2. */
    void usePostgres(String url, String user, String schema) throws IOException {
        Files.writeString(home.resolve("etc/dev.switchboard.sessions-Sessions.cfg"),
                "callsign = Sessions\n"
                        + "startmode = Activated\n"
                        + "jdbcUrl = " + url + "?currentSchema=" + schema + "\n"
                        + "user = " + user + "\n");
    }

    /** {@link #start(int) Starts} the host and waits until the Sessions plugin answers a caller with a token. */
    SessionsHost startWithSessions(int port) throws IOException, InterruptedException {
        JsonRpcClient client = start(port);
        String[] bearer = {"Authorization", "Bearer " + issueToken("http://localhost")};
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode reply = client.post(
                    JsonRpcClient.request(1, "Sessions.1.exists", "{\"method\":\"updateSession\"}"), bearer).json();
            if (reply.path("result").asBoolean()) {
                return new SessionsHost(client, bearer);
            }
            assertTrue("Sessions did not start: " + reply + "\nconsole:\n" + console(),
                    System.nanoTime() < deadline && process.isAlive());
            Thread.sleep(100);
        }
    }

    /** A running host's Sessions plugin, called with a token. */
    record SessionsHost(JsonRpcClient client, String[] bearer) {
        JsonRpcClient.Reply call(String method, JsonNode params) throws IOException, InterruptedException {
            return rpc("Sessions.1." + method, params);
        }

        /** Calls any {@code designator} ({@code Callsign.1.method}) with the token; {@code params} may be null. */
        JsonRpcClient.Reply rpc(String designator, JsonNode params) throws IOException, InterruptedException {
            return client.post(JsonRpcClient.request(1, designator, params == null ? null : params.toString()), bearer);
        }
    }

    /**
     * Writes {@code etc/<name>} in one step, as an editor saving atomically does, so that FileInstall never
     * reads half a file; a running host applies it within a second or two.
     */
    void writeEtc(String name, String content) throws IOException {
        Path temp = Files.createTempFile(home, "etc", ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, home.resolve("etc").resolve(name), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** What the host logged so far to {@code log/switchboard.log}. */
    String log() throws IOException {
        Path log = home.resolve("log/switchboard.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Waits up to {@code timeout} for a console line containing {@code fragment} and returns it. */
    String awaitConsoleLine(String fragment, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line = console().lines().filter(l -> l.contains(fragment)).findFirst().orElse(null);
            if (line != null) {
                return line;
            }
            assertTrue("no line with '" + fragment + "' on the console:\n" + console(),
                    System.nanoTime() < deadline && process.isAlive());
            Thread.sleep(200);
        }
    }

    String console() throws IOException {
        Path console = home.resolve("console.log");
        return Files.exists(console) ? Files.readString(console) : "";
    }

    /**
     * What an administrator does: {@code bin/switchboard token <url>}. The SecurityAgent opens its
     * socket a moment after the HTTP port (and a killed host leaves a stale one), so a failing
     * command is retried for a while.
     */
    String issueToken(String url) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            Process command = new ProcessBuilder(home.resolve("bin/switchboard").toString(), "token", url)
                    .directory(home.toFile()).redirectErrorStream(true).start();
            String output = new String(command.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int exit = command.waitFor();
            if (exit == 0 || System.nanoTime() > deadline || process == null || !process.isAlive()) {
                assertEquals("bin/switchboard token failed: " + output, 0, exit);
                assertEquals("not a JWT: " + output, 3, output.split("\\.").length);
                return output;
            }
            Thread.sleep(200);
        }
    }

    /** Kills the process if it still runs (for {@code @After}). */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** The feature version of the Java the host runs on ("17", "25"), as its starting line names it. */
    static String javaVersion() throws IOException {
        if (JAVA_HOME.isEmpty()) {
            return System.getProperty("java.specification.version");
        }
        String release = Files.readString(Path.of(JAVA_HOME, "release"));
        Matcher version = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(release);
        assertTrue("no JAVA_VERSION in " + JAVA_HOME + "/release", version.find());
        return version.group(1);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

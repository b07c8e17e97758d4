package dev.switchboard.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.karaf.shell.support.parsing.CommandLineImpl;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * What a Karaf user meets around Switchboard: an HTTP configuration of their own, written before the
 * feature was installed, keeps its port and serves JSON-RPC over HTTP and WebSocket, and one without
 * the WebSocket key is named in one ERROR line until the key is back; the {@code switchboard:*}
 * commands print their answers in a script sent through Karaf's real {@code bin/client}, and complete
 * their arguments at the console.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafUserSetupIT extends KarafTestSupport {

    @Test
    public void anHttpConfigurationWrittenBeforeTheInstallKeepsItsPortAndServesHttpAndWebSocket() throws Exception {
        Path httpConfig = Path.of(System.getProperty("karaf.etc"), "org.apache.felix.http.cfg");
        String written = Files.readString(httpConfig);
        assertTrue("the user's port stays: " + written,
                Pattern.compile("(?m)^org\\.osgi\\.service\\.http\\.port\\s*=\\s*" + httpPort() + "$").matcher(written).find());

        String token = token();
        String versions = call(token, "DeviceInfo.1.versions");
        assertTrue(versions, versions.contains("\"JDeviceInfo\""));

        String reply = webSocketCall(token, "DeviceInfo.1.versions");
        assertTrue(reply, reply.contains("\"JDeviceInfo\""));
    }

    @Test
    public void anHttpConfigurationWithoutTheWebSocketKeyIsNamedInOneErrorLineAndServesOnceTheKeyIsBack() throws Exception {
        Path httpConfig = Path.of(System.getProperty("karaf.etc"), "org.apache.felix.http.cfg");
        String[] userConfig = Files.readString(httpConfig).lines().toArray(String[]::new);
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        String token = token();
        try {
            // as a user who writes the file anew, with port and host only
            writeEtc("org.apache.felix.http.cfg", "org.osgi.service.http.port = " + httpPort(),
                    "org.apache.felix.http.host = 127.0.0.1");
            eventually(PATIENCE, () -> {
                attempt(token);
                return !errorLinesNamingTheKey(log).isEmpty();
            });
            for (int i = 0; i < 5; i++) {
                assertFalse("no call is answered without WebSocket support", attempt(token));
            }
            List<String> errors = errorLinesNamingTheKey(log);
            assertEquals(errors.toString(), 1, errors.size());
            assertTrue(errors.get(0), errors.get(0).contains(
                    "add org.apache.felix.jetty.websocket.enable = true to the configuration org.apache.felix.http"));
        } finally {
            writeEtc("org.apache.felix.http.cfg", userConfig);
        }
        eventually(PATIENCE, () -> attempt(token));
        String reply = webSocketCall(token, "DeviceInfo.1.versions");
        assertTrue(reply, reply.contains("\"JDeviceInfo\""));
    }

    /** Whether a call over HTTP is answered with a result now. */
    private boolean attempt(String token) {
        try {
            HttpResponse<String> reply = post(token, "DeviceInfo.1.versions");
            return reply.statusCode() == 200 && reply.body().contains("\"result\"");
        } catch (IOException | InterruptedException notNow) {
            return false;
        }
    }

    private static List<String> errorLinesNamingTheKey(Path log) throws IOException {
        return Files.readAllLines(log).stream()
                .filter(line -> line.contains("ERROR") && line.contains("org.apache.felix.jetty.websocket.enable")).toList();
    }

    /** One call over a WebSocket with the token as query parameter; answers the reply. */
    private String webSocketCall(String token, String method) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + httpPort() + "/jsonrpc?token=" + token), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            answer.complete(text.toString());
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        answer.completeExceptionally(error);
                    }
                }).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        try {
            socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"" + method + "\"}", true);
            String reply = answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertTrue(reply, reply.contains("\"id\":7"));
            return reply;
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    @Test
    public void switchboardCommandsPrintTheirAnswersInAScriptSentThroughBinClient() throws Exception {
        String order = placeOrder(token());
        List<String> lines = binClient(String.join("\n",
                "switchboard:plugins",
                "switchboard:deactivate DeviceInfo",
                "switchboard:activate DeviceInfo",
                "switchboard:orders activating",
                "switchboard:sessions " + order,
                "switchboard:usage",
                "switchboard:config Sessions",
                "switchboard:token http://localhost",
                "hc:exec switchboard | cat"));
        // each answer, in the order of the script
        List<String> expected = List.of(
                "DeviceInfo +\\| Activated +\\| Activated +\\| .*",
                "DeviceInfo deactivated",
                "DeviceInfo activated",
                Pattern.quote(order) + " .*\\| activating .*",
                "Session .*",
                "Order +\\| Status +\\| Bytes up .*",
                "dataDir +\\| .*sessions",
                "ey[\\w-]+\\.[\\w-]+\\.[\\w-]+",
                "Switchboard plugins +OK .*");
        int line = 0;
        for (String answer : expected) {
            while (line < lines.size() && !lines.get(line).matches(answer)) {
                line++;
            }
            assertTrue("no line " + answer + " (in order) in:\n" + String.join("\n", lines), line < lines.size());
        }
        String status = call(token(), "Controller.1.status@DeviceInfo");
        assertTrue(status, status.contains("\"state\":\"Activated\""));
    }

    /** Runs {@code script} through Karaf's bin/client in batch mode, as a shell script does; answers what it printed. */
    private static List<String> binClient(String script) throws Exception {
        Path home = Path.of(System.getProperty("karaf.home"));
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", home.resolve("bin/client").toString(), "-r", "30", "-b")
                .directory(home.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process client = builder.start();
        try {
            try (OutputStream in = client.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            CompletableFuture<String> printed = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            String output;
            try {
                output = printed.get(2 * PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("bin/client did not finish", e);
            }
            assertEquals(output, 0, client.waitFor());
            return output.lines().toList();
        } finally {
            client.destroyForcibly();
        }
    }

    @Test
    public void shellCommandsAreKarafActionsThatCompleteCallsignsAndOrderIds() throws Exception {
        String order = placeOrder(token());
        // in Karaf the commands with completion are Karaf actions, not Gogo commands of the same name
        assertEquals(null, context.getServiceReferences((String) null,
                "(&(osgi.command.scope=switchboard)(|(osgi.command.function=activate)(osgi.command.function=orders)"
                        + "(osgi.command.function=token)))"));
        SessionFactory shell = context.getService(context.getServiceReference(SessionFactory.class));
        Session session = shell.create(new ByteArrayInputStream(new byte[0]), System.out, System.err);
        try {
            assertEquals(List.of("DeviceInfo"), complete(shell, session, "switchboard:activate", "Dev"));
            assertTrue(complete(shell, session, "switchboard:config", "").containsAll(List.of("DeviceInfo", "Controller", "Sessions")));
            assertTrue(complete(shell, session, "switchboard:sessions", order.substring(0, 4)).contains(order));
            assertTrue(complete(shell, session, "switchboard:orders", "act").containsAll(List.of("activating", "active")));
        } finally {
            session.close();
        }
    }

    /** What the console offers for {@code partial} as the first argument of {@code command}. */
    private static List<String> complete(SessionFactory shell, Session session, String command, String partial) {
        String[] name = command.split(":");
        String buffer = command + " " + partial;
        List<String> candidates = new ArrayList<>();
        shell.getRegistry().getCommand(name[0], name[1]).getCompleter(false).complete(session,
                new CommandLineImpl(new String[] {command, partial}, 1, partial.length(), buffer.length(), buffer),
                candidates);
        return candidates.stream().map(String::trim).toList();
    }
}

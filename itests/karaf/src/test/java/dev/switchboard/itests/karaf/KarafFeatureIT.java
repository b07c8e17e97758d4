package dev.switchboard.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.karaf.shell.support.parsing.CommandLineImpl;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Switchboard in a real Apache Karaf, as a Karaf user installs it: the built feature repository is
 * added and feature {@code switchboard} installed, two more DeviceInfo instances are configured by
 * files in {@code etc/} (a {@code .cfg} and a {@code .cfg.json}), a token comes from the
 * SecurityAgent's socket in {@code data/}, calls go over HTTP, Sessions keeps its H2 database under
 * {@code data/} and its health check says so, the shell commands are Karaf actions that complete
 * callsigns and order ids, and the DeviceInfo bundle is updated while another thread keeps calling.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeatureIT {

    private static final String ACL = """
            {"assign": [{"url": "*://localhost:*", "role": "local"}, {"url": "*", "role": "default"}],
             "roles": {"local": {"default": "allowed"}, "default": {"default": "blocked"}}}
            """;

    @Inject
    protected BundleContext context;

    @Inject
    protected FeaturesService features;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] configuration() throws IOException {
        String localRepository = System.getProperty("maven.repo.local");
        String switchboardRepository = new File(System.getProperty("switchboard.repository")).toURI().toString();
        Path acl = Files.createTempFile(Path.of("target").toAbsolutePath(), "acl", ".json");
        Files.writeString(acl, ACL);
        String port = String.valueOf(freePort());
        String mvnConfig = "etc/org.ops4j.pax.url.mvn.cfg";
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(maven().groupId("org.apache.karaf").artifactId("apache-karaf").type("tar.gz")
                            .version(System.getProperty("karaf.version")))
                    // a short root: the SecurityAgent's socket path under data/ must stay within the
                    // 107 bytes a Unix domain socket address allows, wherever the build is checked out
                    .unpackDirectory(Files.createTempDirectory("sbk").toFile())
                    .useDeployFolder(false),
            keepRuntimeFolder(),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevel.INFO),
            // the bundles of this build first, then the local repository, then Karaf's system/
            editConfigurationFilePut(mvnConfig, "org.ops4j.pax.url.mvn.localRepository", localRepository),
            editConfigurationFilePut(mvnConfig, "org.ops4j.pax.url.mvn.defaultRepositories",
                    switchboardRepository + "@id=switchboard@snapshots,"
                            + "file:${karaf.home}/${karaf.default.repository}@id=system.repository@snapshots"),
            // before feature:install, so the feature's own <config> (port 9998) leaves it as it is
            editConfigurationFilePut("etc/org.apache.felix.http.cfg", "org.osgi.service.http.port", port),
            editConfigurationFilePut("etc/org.apache.felix.http.cfg", "org.apache.felix.http.host", "127.0.0.1"),
            editConfigurationFilePut("etc/org.apache.felix.http.cfg", "org.apache.felix.jetty.websocket.enable", "true"),
            editConfigurationFilePut("etc/system.properties", "switchboard.test.port", port),
            editConfigurationFilePut("etc/system.properties", "switchboard.test.features",
                    new File(System.getProperty("switchboard.features")).toURI().toString()),
            replaceConfigurationFile("etc/acl.json", acl.toFile()),
        };
    }

    @Before
    public void installSwitchboard() throws Exception {
        URI repository = URI.create(System.getProperty("switchboard.test.features"));
        if (features.getRepository(repository) == null) {
            features.addRepository(repository);                     // feature:repo-add
        }
        if (!features.isInstalled(features.getFeature("switchboard"))) {
            features.installFeature("switchboard");                 // feature:install switchboard
        }
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Path box = etc.resolve("dev.switchboard.deviceinfo-Box.cfg");
        if (!Files.exists(box)) {
            Files.writeString(box, "callsign = Box\nstartmode = Activated\n");
        }
        // Karaf's own JSON configurations: factoryPid~name.cfg.json is the factory configuration's name
        Path panel = etc.resolve("dev.switchboard.deviceinfo~Panel.cfg.json");
        if (!Files.exists(panel)) {
            Files.writeString(panel, "{\"callsign\": \"Panel\", \"startmode\": \"Activated\"}\n");
        }
        for (String callsign : List.of("Box", "Panel", "Sessions")) {
            eventually(Duration.ofSeconds(60), () -> {
                try {
                    return call(token(), callsign + ".1.versions").contains("\"result\"");
                } catch (IOException | AssertionError notYet) {
                    return false;
                }
            });
        }
    }

    @Test
    public void boxAndDeviceInfoAnswerWithATokenAndNotWithout() throws Exception {
        String token = token();
        String systeminfo = call(token, "Box.1.systeminfo");
        assertTrue(systeminfo, systeminfo.contains("\"totalram\""));
        String versions = call(token, "DeviceInfo.1.versions");
        assertTrue(versions, versions.contains("\"JDeviceInfo\""));

        HttpResponse<String> anonymous = post(null, "DeviceInfo.1.versions");
        assertEquals(401, anonymous.statusCode());

        String status = call(token, "Controller.1.status@Box");
        assertTrue(status, status.contains("\"state\":\"activated\""));
        String panel = call(token, "Panel.1.systeminfo");
        assertTrue(panel, panel.contains("\"totalram\""));
        assertTrue(call(token, "Controller.1.status@Panel").contains("\"state\":\"activated\""));

        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + System.getProperty("switchboard.test.port") + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body(), metrics.body().contains(
                "switchboard_rpc_requests_total{callsign=\"Box\",method=\"systeminfo\"}"));
        assertTrue("the plugin health check runs in Karaf", context.getServiceReferences(
                "org.apache.felix.hc.api.HealthCheck", "(hc.name=Switchboard plugins)") != null);
    }

    @Test
    public void sessionsKeepTheirH2DatabaseUnderKarafDataAndItsHealthCheckIsOk() throws Exception {
        String token = token();
        String order = placeOrder(token);
        String orders = call(token, "Sessions.1.orders", "{\"status\":\"activating\"}");
        assertTrue(orders, orders.contains("\"id\":\"" + order + "\""));
        assertTrue("the H2 database is under ${karaf.data}/sessions",
                Files.exists(Path.of(System.getProperty("karaf.data"), "sessions", "sessions.mv.db")));

        List<String> sessions = HealthChecks.run(context, "sessions");
        assertEquals(1, sessions.size());
        assertTrue(sessions.get(0), sessions.get(0).startsWith("Switchboard sessions database: OK "));
        assertTrue(sessions.get(0), sessions.get(0).contains("Sessions: H2 "));
        List<String> all = HealthChecks.run(context, "switchboard");
        assertEquals(2, all.size());
        assertTrue(all.toString(), all.stream().allMatch(result -> result.contains(": OK ")));
    }

    /**
     * Runs health checks through the Felix executor, answering "name: STATUS log" for each. A class of
     * its own: the Health Check API is there only once feature switchboard is installed, after this
     * test class is loaded.
     */
    private static final class HealthChecks {
        static List<String> run(BundleContext context, String tag) {
            ServiceReference<HealthCheckExecutor> reference = context.getServiceReference(HealthCheckExecutor.class);
            HealthCheckExecutor executor = context.getService(reference);
            try {
                List<String> results = new ArrayList<>();
                for (HealthCheckExecutionResult result : executor.execute(HealthCheckSelector.tags(tag))) {
                    results.add(result.getHealthCheckMetadata().getName() + ": "
                            + result.getHealthCheckResult().getStatus() + " " + result.getHealthCheckResult());
                }
                return results;
            } finally {
                context.ungetService(reference);
            }
        }
    }

    @Test
    public void shellCommandsAreKarafActionsThatCompleteCallsignsAndOrderIds() throws Exception {
        String order = placeOrder(token());
        // in Karaf the commands with completion are Karaf actions, not Gogo commands of the same name
        assertEquals(null, context.getServiceReferences((String) null,
                "(&(osgi.command.scope=switchboard)(|(osgi.command.function=activate)(osgi.command.function=orders)))"));
        SessionFactory shell = context.getService(context.getServiceReference(SessionFactory.class));
        Session session = shell.create(new ByteArrayInputStream(new byte[0]), System.out, System.err);
        try {
            String plugins = String.valueOf(session.execute("switchboard:plugins"));
            assertTrue(plugins, plugins.lines().anyMatch(l -> l.matches("Panel +\\| activated +\\| Activated +\\| .*")));
            assertEquals("Panel deactivated", session.execute("switchboard:deactivate Panel"));
            assertEquals("Panel activated", session.execute("switchboard:activate Panel"));
            String orders = String.valueOf(session.execute("switchboard:orders activating"));
            assertTrue(orders, orders.lines().anyMatch(l -> l.startsWith(order + " ") && l.contains("| activating ")));
            String usage = String.valueOf(session.execute("switchboard:usage"));
            assertTrue(usage, usage.lines().findFirst().orElseThrow().matches("Order +\\| Status +\\| Bytes up .*"));
            String sessions = String.valueOf(session.execute("switchboard:sessions " + order));
            assertTrue(sessions, sessions.startsWith("Session "));
            // the SecurityAgent's commands stay Gogo commands, which Karaf presents too
            assertTrue(String.valueOf(session.execute("switchboard:token http://localhost")).startsWith("ey"));

            assertEquals(List.of("Panel"), complete(shell, session, "switchboard:activate", "Pa"));
            assertTrue(complete(shell, session, "switchboard:config", "").containsAll(List.of("Box", "Controller", "Sessions")));
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

    /** What an operator does over JSON-RPC: templates, a product, an offering, one order; answers its id. */
    private String placeOrder(String token) throws Exception {
        String offer = id(call(token, "Sessions.1.registerTemplate", "{\"kind\":\"OFFER\",\"schema\":{\"type\":\"object\"}}"));
        String access = id(call(token, "Sessions.1.registerTemplate",
                "{\"kind\":\"ACCESS\",\"schema\":{\"type\":\"object\",\"required\":[\"username\"]}}"));
        String product = id(call(token, "Sessions.1.createProduct", "{\"name\":\"proxy\",\"offerTemplate\":\"" + offer
                + "\",\"accessTemplate\":\"" + access + "\",\"agent\":true,\"serviceEndpoint\":\"proxy.example:1080\"}"));
        String offering = id(call(token, "Sessions.1.createOffering", "{\"product\":\"" + product
                + "\",\"name\":\"bytes\",\"unitType\":\"BYTES\",\"unitSize\":1,\"unitPrice\":1,\"setupPrice\":0,"
                + "\"minUnits\":0,\"maxUnits\":0,\"billingInterval\":100,\"maxBillingUnitLag\":1000,"
                + "\"maxInactiveSeconds\":0,\"maxSuspendedSeconds\":0,\"supply\":0}"));
        return id(call(token, "Sessions.1.placeOrder", "{\"offering\":\"" + offering + "\",\"deposit\":1000}"));
    }

    /** The first string "id" in a JSON-RPC answer: the created object's (the envelope's id is a number). */
    private static String id(String answer) {
        Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(answer);
        assertTrue(answer, id.find());
        return id.group(1);
    }

    @Test
    public void deviceInfoBundleIsUpdatedWhileCallsGoOn() throws Exception {
        String token = token();
        Bundle deviceInfo = bundle("dev.switchboard.deviceinfo");
        long before = deviceInfo.getLastModified();

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<String> broken = new CopyOnWriteArrayList<>();
        Thread caller = new Thread(() -> {
            while (running.get()) {
                try {
                    HttpResponse<String> reply = post(token, "DeviceInfo.1.versions");
                    if (reply.statusCode() == 200 && reply.body().contains("\"result\"")) {
                        answered.incrementAndGet();
                    } else if (reply.statusCode() == 200 && reply.body().contains("\"error\"")) {
                        refused.incrementAndGet(); // the plugin is away for a moment: a JSON-RPC error
                    } else {
                        broken.add(reply.statusCode() + " " + reply.body());
                    }
                } catch (Exception e) {
                    broken.add(e.toString());
                }
            }
        }, "caller");
        caller.start();
        try {
            eventually(Duration.ofSeconds(10), () -> answered.get() > 20);
            deviceInfo.update();                                         // bundle:update
            eventually(Duration.ofSeconds(30), () -> deviceInfo.getState() == Bundle.ACTIVE);
            int afterUpdate = answered.get();
            eventually(Duration.ofSeconds(30), () -> answered.get() > afterUpdate + 20);
        } finally {
            running.set(false);
            caller.join(10_000);
        }
        assertTrue("updated", deviceInfo.getLastModified() > before);
        assertTrue("no broken answers: " + broken, broken.isEmpty());
        String systeminfo = call(token, "Box.1.systeminfo");
        assertTrue(systeminfo, systeminfo.contains("\"totalram\""));
        assertTrue(call(token, "Controller.1.status@DeviceInfo").contains("\"state\":\"activated\""));
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** A token for http://localhost from the SecurityAgent's socket, as a local program gets one. */
    private static String token() throws IOException {
        Path socket = Path.of(System.getProperty("karaf.data"), "securityagent", "token.sock");
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("http://localhost".getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            String answer = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8).trim();
            if (answer.isEmpty() || answer.startsWith("error")) {
                throw new AssertionError("no token: " + answer);
            }
            return answer;
        }
    }

    private String call(String token, String method) throws Exception {
        return call(token, method, null);
    }

    /** A call that must succeed: HTTP 200 with a result. */
    private String call(String token, String method, String params) throws Exception {
        HttpResponse<String> reply = post(token, method, params);
        assertEquals(reply.body(), 200, reply.statusCode());
        assertTrue(reply.body(), reply.body().contains("\"result\""));
        return reply.body();
    }

    private HttpResponse<String> post(String token, String method) throws IOException, InterruptedException {
        return post(token, method, null);
    }

    private HttpResponse<String> post(String token, String method, String params) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + System.getProperty("switchboard.test.port") + "/jsonrpc"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\""
                        + (params == null ? "" : ",\"params\":" + params) + "}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void eventually(Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

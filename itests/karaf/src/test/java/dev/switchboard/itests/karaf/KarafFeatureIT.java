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
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
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

/**
 * Switchboard in a real Apache Karaf, as a Karaf user installs it: the built feature repository is
 * added and feature {@code switchboard} installed, a second DeviceInfo is configured by a file in
 * {@code etc/}, a token comes from the SecurityAgent's socket in {@code data/}, calls go over HTTP,
 * and the DeviceInfo bundle is updated while another thread keeps calling.
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
        eventually(Duration.ofSeconds(60), () -> {
            try {
                return call(token(), "Box.1.versions").contains("\"result\"");
            } catch (IOException | AssertionError notYet) {
                return false;
            }
        });
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
        HttpResponse<String> reply = post(token, method);
        assertEquals(reply.body(), 200, reply.statusCode());
        return reply.body();
    }

    private HttpResponse<String> post(String token, String method) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + System.getProperty("switchboard.test.port") + "/jsonrpc"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\"}"));
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

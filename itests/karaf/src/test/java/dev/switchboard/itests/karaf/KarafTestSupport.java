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
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * A real Apache Karaf set up as a user sets one up: the HTTP configuration written in {@code etc/} before
 * Switchboard is installed (its own port and host, and the WebSocket key the README asks for), the {@code karaf} user of
 * {@code etc/users.properties} enabled so that {@code bin/client} logs in over SSH, an ACL in
 * {@code etc/acl.json}; then the built feature repository added and feature {@code switchboard}
 * installed. What the tests share: a token from the SecurityAgent's socket, calls over HTTP.
 */
public abstract class KarafTestSupport {

    private static final String ACL = """
            {"assign": [{"url": "*://localhost:*", "role": "local"}, {"url": "*", "role": "default"}],
             "roles": {"local": {"default": "allowed"}, "default": {"default": "blocked"}}}
            """;

    /** The two lines Karaf ships commented out in etc/users.properties, enabled. */
    private static final String USERS = """
            karaf = karaf,_g_:admingroup
            _g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh
            """;

    static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    protected BundleContext context;

    @Inject
    protected FeaturesService features;

    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Configuration
    public Option[] configuration() throws IOException {
        String localRepository = System.getProperty("maven.repo.local");
        String switchboardRepository = new File(System.getProperty("switchboard.repository")).toURI().toString();
        Path target = Path.of("target").toAbsolutePath();
        Path acl = Files.writeString(Files.createTempFile(target, "acl", ".json"), ACL);
        Path users = Files.writeString(Files.createTempFile(target, "users", ".properties"), USERS);
        String port = String.valueOf(freePort());
        String mvnConfig = "etc/org.ops4j.pax.url.mvn.cfg";
        String shellConfig = "etc/org.apache.karaf.shell.cfg";
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(maven().groupId("org.apache.karaf").artifactId("apache-karaf").type("tar.gz")
                            .version(System.getProperty("karaf.version")))
                    // a short root: the SecurityAgent's socket path under data/ must stay within the
                    // 107 bytes a Unix domain socket address allows, wherever the build is checked out
                    .unpackDirectory(Files.createTempDirectory("sbk").toFile())
                    .useDeployFolder(false),
            keepRuntimeFolder(),
            // Karaf's SSH server stays on, for bin/client
            configureConsole().ignoreLocalConsole(),
            editConfigurationFilePut(shellConfig, "sshPort", String.valueOf(freePort())),
            editConfigurationFilePut(shellConfig, "sshHost", "127.0.0.1"),
            replaceConfigurationFile("etc/users.properties", users.toFile()),
            logLevel(LogLevel.INFO),
            // the bundles of this build first, then the local repository, then Karaf's system/
            editConfigurationFilePut(mvnConfig, "org.ops4j.pax.url.mvn.localRepository", localRepository),
            editConfigurationFilePut(mvnConfig, "org.ops4j.pax.url.mvn.defaultRepositories",
                    switchboardRepository + "@id=switchboard@snapshots,"
                            + "file:${karaf.home}/${karaf.default.repository}@id=system.repository@snapshots"),
            // the user's own HTTP configuration, before feature:install, with the key the README names
            editConfigurationFilePut("etc/org.apache.felix.http.cfg", "org.osgi.service.http.port", port),
            editConfigurationFilePut("etc/org.apache.felix.http.cfg", "org.apache.felix.http.host", "127.0.0.1"),
            editConfigurationFilePut("etc/org.apache.felix.http.cfg", "org.apache.felix.jetty.websocket.enable", "true"),
            editConfigurationFilePut("etc/system.properties", "switchboard.test.port", port),
            editConfigurationFilePut("etc/system.properties", "switchboard.test.features",
                    new File(System.getProperty("switchboard.features")).toURI().toString()),
            replaceConfigurationFile("etc/acl.json", acl.toFile()),
        };
    }

    /** feature:repo-add and feature:install switchboard, once; then waits until Sessions answers. */
    @Before
    public void installSwitchboard() throws Exception {
        URI repository = URI.create(System.getProperty("switchboard.test.features"));
        if (features.getRepository(repository) == null) {
            features.addRepository(repository);
        }
        if (!features.isInstalled(features.getFeature("switchboard"))) {
            features.installFeature("switchboard");
        }
        awaitAnswer("Sessions");
    }

    /** Waits until the plugin {@code callsign} answers its versions call. */
    protected void awaitAnswer(String callsign) throws Exception {
        eventually(Duration.ofSeconds(60), () -> {
            try {
                return call(token(), callsign + ".1.versions").contains("\"result\"");
            } catch (IOException | AssertionError notYet) {
                return false;
            }
        });
    }

    /** What an operator does over JSON-RPC: templates, a product, an offering, one order; answers its id. */
    protected String placeOrder(String token) throws Exception {
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
    protected static String id(String answer) {
        Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(answer);
        assertTrue(answer, id.find());
        return id.group(1);
    }

    protected Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** A token for http://localhost from the SecurityAgent's socket, as a local program gets one. */
    protected static String token() throws IOException {
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

    /** Writes a file into etc/ in one step: Karaf's FileInstall never reads half of it. */
    protected static void writeEtc(String name, String... lines) throws IOException {
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Path written = Files.writeString(etc.resolve(name + ".tmp"), String.join("\n", lines) + "\n");
        Files.move(written, etc.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The port of the HTTP configuration the user wrote. */
    protected static String httpPort() {
        return System.getProperty("switchboard.test.port");
    }

    protected String call(String token, String method) throws Exception {
        return call(token, method, null);
    }

    /** A call that must succeed: HTTP 200 with a result. */
    protected String call(String token, String method, String params) throws Exception {
        HttpResponse<String> reply = post(token, method, params);
        assertEquals(reply.body(), 200, reply.statusCode());
        assertTrue(reply.body(), reply.body().contains("\"result\""));
        return reply.body();
    }

    protected HttpResponse<String> post(String token, String method) throws IOException, InterruptedException {
        return post(token, method, null);
    }

    protected HttpResponse<String> post(String token, String method, String params) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + "/jsonrpc"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\""
                        + (params == null ? "" : ",\"params\":" + params) + "}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static void eventually(Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    protected static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

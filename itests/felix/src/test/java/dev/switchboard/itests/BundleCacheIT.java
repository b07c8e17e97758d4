package dev.switchboard.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The launcher keeps the framework's bundle cache between starts, and still picks up a jar added to, changed in
 * or removed from bundle/ or deploy/ while the host was stopped. Each start begins on the data/ the last one
 * left, the first on none.
 */
public class BundleCacheIT {

    private static final Path FIXTURE = Path.of(System.getProperty("fixture.bundle"));

    private Distribution distribution;
    private int starts;
    private JsonRpcClient client;
    private String[] bearer;

    @Before
    public void copyDistribution() throws Exception {
        distribution = Distribution.copy();
        // the fixture plugin is configured; whether it runs depends on which jar the host has
        Files.writeString(distribution.home().resolve("etc/plugins/fixture.json"),
                "{\"callsign\":\"Fixture\",\"classname\":\"Fixture\"}");
    }

    @After
    public void stop() {
        distribution.stop();
    }

    @Test
    public void aJarChangedOrRemovedInBundleIsUpdatedOrUninstalledAtTheNextStartAndTheOthersAreKept() throws Exception {
        assertJarChangesApply(distribution.home().resolve("bundle"));
    }

    @Test
    public void aJarChangedOrRemovedInDeployIsUpdatedOrUninstalledAtTheNextStart() throws Exception {
        assertJarChangesApply(distribution.home().resolve("deploy"));
    }

    private void assertJarChangesApply(Path directory) throws Exception {
        boolean bundleDirectory = directory.endsWith("bundle");
        Path jar = directory.resolve("fixture.jar");
        withoutComponents(FIXTURE, jar);
        assertTrue("the first start is on an empty data/", !Files.exists(distribution.home().resolve("data/felix-cache")));
        restart();
        assertEquals("the jar without components is used", "", fixtureAnswer(false));
        if (!bundleDirectory) {
            awaitRecordedByFileInstall(jar);
        }
        assertTrue(cacheLine(), cacheLine().matches("Bundle cache data/felix-cache: built with \\d+ bundles"));

        Files.copy(FIXTURE, jar, StandardCopyOption.REPLACE_EXISTING);
        restart();
        assertEquals("the changed jar is used", "hello cache from Fixture", fixtureAnswer(true));
        assertTrue(cacheLine(), cacheLine().matches("Bundle cache data/felix-cache: \\d+ bundles kept, "
                + (bundleDirectory ? 1 : 0) + " updated, 0 installed, 0 uninstalled"));

        Files.delete(jar);
        restart();
        assertEquals("the removed jar is gone", "", fixtureAnswer(false));
        assertTrue(cacheLine(), cacheLine().endsWith(" 0 updated, 0 installed, " + (bundleDirectory ? 1 : 0) + " uninstalled"));
    }

    /** Stops the running host with SIGTERM, if any, and starts it again on the data/ it left. */
    private void restart() throws Exception {
        Process running = distribution.process();
        if (running != null) {
            running.destroy();
            assertTrue("did not stop within 120 s of SIGTERM", running.waitFor(120, TimeUnit.SECONDS));
        }
        client = distribution.start(Distribution.freePort());
        bearer = new String[] {"Authorization", "Bearer " + distribution.issueToken("http://localhost")};
        starts++;
    }

    /**
     * Calls Fixture.1.echo until it answers (when {@code answers}) or until it fails while the Controller says
     * that no bundle provides the plugin (the bundle is then not the one with the component): the answer, or ""
     * for the failure.
     */
    private String fixtureAnswer(boolean answers) throws Exception {
        String echo = JsonRpcClient.request(1, "Fixture.1.echo", "{\"text\":\"cache\"}");
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            JsonRpcClient.Reply reply = client.post(echo, bearer);
            if (answers && reply.json().has("result")) {
                return reply.result().asText();
            }
            if (!answers && reply.json().has("error") && client.post(JsonRpcClient.request(2, "Controller.1.status@Fixture", null),
                    bearer).json().path("result").path(0).path("detail").asText().startsWith("no installed bundle provides")) {
                return "";
            }
            assertTrue("Fixture.1.echo: " + reply.body() + "\nconsole:\n" + distribution.console(),
                    System.nanoTime() < deadline && distribution.process().isAlive());
            Thread.sleep(100);
        }
    }

    /**
     * Waits until FileInstall has installed {@code jar} and recorded its checksum (data/&lt;bundle id&gt;.checksum in
     * its bundle's storage), so that a stop does not cut its first installation short.
     */
    private void awaitRecordedByFileInstall(Path jar) throws Exception {
        Path cache = distribution.home().resolve("data/felix-cache");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try (Stream<Path> bundles = Files.list(cache)) {
                for (Path bundle : (Iterable<Path>) bundles::iterator) {
                    Path info = bundle.resolve("bundle.info");
                    List<String> lines = Files.exists(info) ? Files.readAllLines(info) : List.of();
                    if (lines.size() > 1 && lines.get(1).endsWith(jar.toString()) && checksumRecorded(cache, lines.get(0))) {
                        return;
                    }
                }
            }
            assertTrue("FileInstall did not record " + jar, System.nanoTime() < deadline && distribution.process().isAlive());
            Thread.sleep(200);
        }
    }

    private static boolean checksumRecorded(Path cache, String bundleId) throws IOException {
        try (Stream<Path> bundles = Files.list(cache)) {
            return bundles.anyMatch(b -> Files.exists(b.resolve("data").resolve(bundleId + ".checksum")));
        }
    }

    /** What the launcher said of the bundle cache at the last start. */
    private String cacheLine() throws IOException {
        List<String> lines = lines("Bundle cache ");
        assertEquals("one bundle cache line per start:\n" + distribution.console(), starts, lines.size());
        return lines.get(starts - 1);
    }

    private List<String> lines(String fragment) throws IOException {
        return distribution.console().lines().filter(l -> l.contains(fragment)).map(String::strip).toList();
    }

    /** The same bundle without its Service-Component header: installed and started, it provides no plugin. */
    private static void withoutComponents(Path bundle, Path target) throws IOException {
        try (InputStream in = Files.newInputStream(bundle); JarInputStream jar = new JarInputStream(in)) {
            Manifest manifest = jar.getManifest();
            manifest.getMainAttributes().remove(new Attributes.Name("Service-Component"));
            try (OutputStream out = Files.newOutputStream(target); JarOutputStream copy = new JarOutputStream(out, manifest)) {
                for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
                    copy.putNextEntry(new JarEntry(entry.getName()));
                    jar.transferTo(copy);
                    copy.closeEntry();
                }
            }
        }
    }
}

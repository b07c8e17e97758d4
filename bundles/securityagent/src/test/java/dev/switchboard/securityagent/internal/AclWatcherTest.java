package dev.switchboard.securityagent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AclWatcherTest {

    private static final String ALLOW_LOCAL = """
            {"assign":[{"url":"*://localhost:*","role":"local"}],"roles":{"local":{"default":"allowed"}}}
            """;
    private static final Origin LOCAL = Origin.of("http://localhost:8080").orElseThrow();
    private static final Origin APP = Origin.of("https://app.example").orElseThrow();

    @TempDir
    Path dir;

    @Test
    void followsTheFilesAndKeepsTheLastGoodAcl() throws Exception {
        Path acl = dir.resolve("acl.json");
        Path dac = dir.resolve("acl.d");
        AclWatcher watcher = new AclWatcher(new AclFiles(acl, dac));

        assertThat(watcher.check()).isTrue();
        assertThat(watcher.get().allows(LOCAL, "DeviceInfo", "systeminfo")).isFalse();

        Files.writeString(acl, ALLOW_LOCAL);
        assertThat(watcher.check()).isTrue();
        assertThat(watcher.get().allows(LOCAL, "DeviceInfo", "systeminfo")).isTrue();
        assertThat(watcher.check()).isFalse();

        Files.writeString(acl, "{\"assign\":[{\"url\":\"*\",\"role\":\"missing\"}],\"roles\":{}}");
        assertThat(watcher.check()).isFalse();
        assertThat(watcher.get().allows(LOCAL, "DeviceInfo", "systeminfo")).isTrue();

        Files.writeString(acl, ALLOW_LOCAL);
        Files.createDirectories(dac);
        Files.writeString(dac.resolve("apps.json"),
                "{\"assign\":[{\"url\":\"*\",\"role\":\"apps\"}],\"roles\":{\"apps\":{\"default\":\"blocked\",\"DeviceInfo\":{}}}}");
        Files.writeString(dac.resolve("ignored.txt"), "not json");
        assertThat(watcher.check()).isTrue();
        assertThat(watcher.get().roleName(APP)).isEqualTo("apps");

        // same size, same second: still seen
        Files.writeString(acl, ALLOW_LOCAL.replace("allowed", "blocked"));
        assertThat(watcher.check()).isTrue();
        assertThat(watcher.get().allows(LOCAL, "DeviceInfo", "systeminfo")).isFalse();

        Files.delete(acl);
        Files.delete(dac.resolve("apps.json"));
        assertThat(watcher.check()).isTrue();
        assertThat(watcher.get().roleName(LOCAL)).isNull();
    }

    @Test
    void pollsInTheBackground() throws Exception {
        Path acl = dir.resolve("acl.json");
        AclWatcher watcher = new AclWatcher(new AclFiles(acl, dir.resolve("acl.d")));
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try {
            watcher.start(executor, Duration.ofMillis(20));
            Files.writeString(acl, ALLOW_LOCAL);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!watcher.get().allows(LOCAL, "X", "y") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(watcher.get().allows(LOCAL, "X", "y")).isTrue();
        } finally {
            watcher.stop();
            executor.shutdownNow();
        }
    }

    @Test
    void anExtraFileAssignsAnOriginBeforeTheMainFilesCatchAll() throws Exception {
        Path acl = dir.resolve("acl.json");
        Path dac = Files.createDirectories(dir.resolve("acl.d"));
        // as the launcher ships it
        Files.writeString(acl, """
                {"assign": [{"url": "*://localhost:*", "role": "local"},
                            {"url": "*://127.0.0.1:*", "role": "local"},
                            {"url": "*", "role": "default"}],
                 "roles": {"local": {"default": "allowed"}, "default": {"default": "blocked"}}}
                """);
        Files.writeString(dac.resolve("20-app.json"), """
                {"assign": [{"url": "https://app.example", "role": "app"}],
                 "roles": {"app": {"default": "blocked", "DeviceInfo": {"default": "allowed"}}}}
                """);
        Files.writeString(dac.resolve("10-other.json"), """
                {"assign": [{"url": "https://app.example", "role": "local"}]}
                """);
        AclWatcher watcher = new AclWatcher(new AclFiles(acl, dac));
        assertThat(watcher.check()).isTrue();
        assertThat(watcher.get().roleName(APP)).as("the first extra file by name wins").isEqualTo("local");

        Files.delete(dac.resolve("10-other.json"));
        assertThat(watcher.check()).isTrue();
        assertThat(watcher.get().roleName(APP)).isEqualTo("app");
        assertThat(watcher.get().allows(APP, "DeviceInfo", "systeminfo")).isTrue();
        assertThat(watcher.get().allows(APP, "Controller", "status")).isFalse();
        assertThat(watcher.get().roleName(Origin.of("https://other.example").orElseThrow())).isEqualTo("default");
        assertThat(watcher.get().roleName(LOCAL)).isEqualTo("local");
        assertThat(watcher.get().source()).isEqualTo(dac.resolve("20-app.json") + ", " + acl);
    }
}

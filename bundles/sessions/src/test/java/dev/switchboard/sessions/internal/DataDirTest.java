package dev.switchboard.sessions.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Where the default H2 database goes: dataDir, against switchboard.home when relative. */
class DataDirTest {

    @Test
    void relativeToTheHomeAbsoluteAsItIsBlankTheDefault() {
        Path home = Path.of("/opt/switchboard");
        assertThat(SessionsPlugin.dataDir("/opt/switchboard", "data/sessions")).isEqualTo(home.resolve("data/sessions"));
        assertThat(SessionsPlugin.dataDir("/opt/switchboard", "/var/lib/karaf/data/sessions"))
                .isEqualTo(Path.of("/var/lib/karaf/data/sessions"));
        assertThat(SessionsPlugin.dataDir("/opt/switchboard", " ")).isEqualTo(home.resolve("data/sessions"));
        assertThat(SessionsPlugin.dataDir(null, "data/sessions"))
                .isEqualTo(Path.of("").toAbsolutePath().resolve("data/sessions"));
        assertThat(Database.defaultUrl(Path.of("/var/lib/karaf/data/sessions")))
                .startsWith("jdbc:h2:file:/var/lib/karaf/data/sessions/sessions;").endsWith(Database.H2_OPTIONS);
    }
}

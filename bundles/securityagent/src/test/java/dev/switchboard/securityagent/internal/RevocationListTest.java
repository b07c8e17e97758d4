package dev.switchboard.securityagent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationListTest {

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private RevocationList list() throws Exception {
        RevocationList list = new RevocationList(dir.resolve("state/revoked.json"), clock);
        list.load();
        return list;
    }

    @Test
    void aRevocationSurvivesARestartInAnOwnerOnlyFile() throws Exception {
        RevocationList first = list();
        assertThat(first.isRevoked("jti-1")).isFalse();
        first.revoke("jti-1", clock.instant().plus(Duration.ofHours(1)));

        assertThat(list().isRevoked("jti-1")).isTrue();
        assertThat(list().isRevoked("jti-2")).isFalse();
        assertThat(Files.getPosixFilePermissions(dir.resolve("state/revoked.json")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aRevocationThatCannotBeWrittenIsAnErrorAndTheTokenIsRefusedAllTheSame() throws Exception {
        RevocationList list = list();
        assertThat(dir.resolve("state")).doesNotExist();
        Files.writeString(dir.resolve("state"), "not a folder");

        assertThatThrownBy(() -> list.revoke("jti-1", clock.instant().plus(Duration.ofHours(1))))
                .isInstanceOf(IOException.class).hasMessageContaining("revoked until the host stops only");
        assertThat(list.isRevoked("jti-1")).isTrue();
    }

    @Test
    void aRevocationFileRemovedWhileRunningIsWrittenAgain() throws Exception {
        RevocationList list = list();
        assertThat(list.restoreIfRemoved()).as("nothing revoked, nothing to write").isFalse();
        list.revoke("jti-1", clock.instant().plus(Duration.ofHours(1)));
        Files.delete(dir.resolve("state/revoked.json"));

        assertThat(list.restoreIfRemoved()).isTrue();
        assertThat(list().isRevoked("jti-1")).isTrue();
        assertThat(list.restoreIfRemoved()).isFalse();
    }

    @Test
    void entriesAreDroppedAfterTheirTokensExpired() throws Exception {
        RevocationList list = list();
        list.revoke("short", clock.instant().plus(Duration.ofMinutes(1)));
        list.revoke("long", clock.instant().plus(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(2));
        list.purge();

        assertThat(list.isRevoked("short")).isFalse();
        assertThat(list.isRevoked("long")).isTrue();
        assertThat(list().size()).isEqualTo(1);
    }
}

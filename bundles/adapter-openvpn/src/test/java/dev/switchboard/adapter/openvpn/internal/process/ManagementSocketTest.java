package dev.switchboard.adapter.openvpn.internal.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagementSocketTest {

    @TempDir
    Path dir;

    @Test
    void aShortPathStaysInTheInstanceFolder() throws Exception {
        assertThat(ManagementSocket.of(dir.resolve("a"))).isEqualTo(dir.resolve("a/management.sock"));
    }

    @Test
    void aPathTooLongForAUnixSocketMovesToAnOwnerOnlyFolderFoundAgainNextTime() throws Exception {
        Path deep = dir.resolve("x".repeat(60)).resolve("y".repeat(60));
        Path socket = ManagementSocket.of(deep);
        assertThat(socket.toString().length()).isLessThanOrEqualTo(100);
        assertThat(socket.getFileName().toString()).isEqualTo("management.sock");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                .isEqualTo("rwx------");
        assertThat(ManagementSocket.of(deep)).isEqualTo(socket);
        assertThat(ManagementSocket.of(deep.resolveSibling("z".repeat(60)))).isNotEqualTo(socket);
        Files.delete(socket.getParent());
    }
}

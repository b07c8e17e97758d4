package dev.switchboard.api.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner-only whatever the umask (this JVM's is the usual 022, which leaves files readable by all). */
class SecureFilesTest {

    @TempDir
    Path dir;

    @Test
    void missingFoldersAndWrittenFilesAreOwnerOnly() throws Exception {
        Path file = dir.resolve("data/state/secret.json");
        SecureFiles.writePrivate(file, "{}".getBytes());

        assertThat(Files.getPosixFilePermissions(dir.resolve("data"))).isEqualTo(SecureFiles.OWNER_DIR);
        assertThat(Files.getPosixFilePermissions(dir.resolve("data/state"))).isEqualTo(SecureFiles.OWNER_DIR);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(SecureFiles.OWNER_FILE);
        assertThat(Files.readString(file)).isEqualTo("{}");
    }

    @Test
    void foldersAndFilesOpenToOthersAreRestrictedAndSaySo() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("open"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Path file = Files.writeString(folder.resolve("file"), "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(SecureFiles.restrictFolderToOwner(folder)).isTrue();
        assertThat(SecureFiles.restrictToOwner(file)).isTrue();
        assertThat(Files.getPosixFilePermissions(folder)).isEqualTo(SecureFiles.OWNER_DIR);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(SecureFiles.OWNER_FILE);
        assertThat(SecureFiles.restrictFolderToOwner(folder)).isFalse();
        assertThat(SecureFiles.restrictToOwner(file)).isFalse();
    }
}

package dev.switchboard.api.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Files and folders only their owner may read or write: keys, revocations, the token socket, the
 * embedded database. Permissions are set explicitly, whatever the process's umask; on a file system
 * without POSIX permissions the files are created as the platform creates them.
 */
public final class SecureFiles {

    public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private SecureFiles() {
    }

    /** Creates the missing folders of {@code dir}, each rwx------; existing folders are left as they are. */
    public static void createPrivateDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createPrivateDirectories(parent);
        }
        try {
            if (isPosix(parent)) {
                Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(OWNER_DIR));
                // the umask may have taken bits away, never added any; set them exactly
                Files.setPosixFilePermissions(absolute, OWNER_DIR);
            } else {
                Files.createDirectory(absolute);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
    }

    /**
     * Replaces {@code file} with {@code content}: the bytes go to a new rw------- file beside it,
     * which is then moved over the old one, so the secret is never readable by others and a
     * crash leaves either the old or the new content.
     */
    public static void writePrivate(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null) {
            throw new IOException(file + " is a root, not a file");
        }
        createPrivateDirectories(dir);
        Path temp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        FileAttribute<?>[] attributes = isPosix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
        try {
            Files.createFile(temp, attributes);
            restrictToOwner(temp);
            Files.write(temp, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.SYNC);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Sets rw------- on an existing file.
     *
     * @return whether the file had allowed more than that
     */
    public static boolean restrictToOwner(Path file) throws IOException {
        return restrict(file, OWNER_FILE);
    }

    /**
     * Sets rwx------ on an existing folder.
     *
     * @return whether the folder had allowed more than that
     */
    public static boolean restrictFolderToOwner(Path dir) throws IOException {
        return restrict(dir, OWNER_DIR);
    }

    private static boolean restrict(Path path, Set<PosixFilePermission> owner) throws IOException {
        if (!isPosix(path)) {
            return false;
        }
        Set<PosixFilePermission> before = Files.getPosixFilePermissions(path);
        if (before.equals(owner)) {
            return false;
        }
        Files.setPosixFilePermissions(path, owner);
        return before.stream().anyMatch(p -> !owner.contains(p));
    }

    private static boolean isPosix(Path existing) {
        return existing != null && Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
    }
}

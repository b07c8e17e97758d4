package dev.switchboard.sessions.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLNonTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.files.SecureFiles;

/**
 * The folder of the embedded H2 database and its file. The folder is made owner-only (rwx------) before
 * H2 creates anything in it and the files H2 created are made rw-------, whatever the process's umask:
 * the database holds client keys and agent credentials. While the host runs, the file must stay the one
 * H2 opened: H2 keeps writing to an open file that was deleted, so without this check a host whose
 * {@code data/} was removed would acknowledge writes that the next start no longer finds.
 */
final class DatabaseFile {

    /** Thrown for every use of a database whose file was removed; a connection error, so calls answer "unavailable". */
    static final class Removed extends SQLNonTransientConnectionException {
        private static final long serialVersionUID = 1L;

        Removed(String message) {
            super(message, "08006");
        }
    }

    static final String NAME = "sessions";
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseFile.class);

    private final Path dir;
    private final Path file;
    private final AtomicBoolean removed = new AtomicBoolean();
    private volatile Object fileKey;

    private DatabaseFile(Path dir) {
        this.dir = dir.toAbsolutePath();
        this.file = this.dir.resolve(NAME + ".mv.db");
    }

    /** Creates {@code dir} owner-only, or makes an existing one owner-only, before H2 opens anything in it. */
    static DatabaseFile prepare(Path dir) throws IOException {
        SecureFiles.createPrivateDirectories(dir);
        if (SecureFiles.restrictFolderToOwner(dir)) {
            LOG.warn("{} was open to other users; it is now rwx------", dir);
        }
        return new DatabaseFile(dir);
    }

    /** The H2 URL of the database in this folder. */
    String url() {
        return Database.defaultUrl(dir);
    }

    /** After H2 opened the database: its files become rw------- and the file is remembered. */
    void opened() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path path : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(path) && path.getFileName().toString().startsWith(NAME + ".")) {
                    SecureFiles.restrictToOwner(path);
                }
            }
        }
        fileKey = identity();
    }

    /**
     * Throws {@link Removed} when the database file is no longer the one H2 opened (deleted, or replaced);
     * the first time, one ERROR line says so. Once removed, the database stays refused until the plugin
     * restarts: what H2 still holds open is gone from the disk.
     */
    void check() throws Removed {
        Object expected = fileKey;
        if (expected == null) {
            return;
        }
        if (!removed.get()) {
            if (expected.equals(identity())) {
                return;
            }
            if (removed.compareAndSet(false, true)) {
                LOG.error("Sessions database {} was removed while the host runs: every call is refused from now on,"
                        + " since what it would write is lost; restore the folder from a backup and restart Sessions",
                        file);
            }
        }
        throw new Removed(file + " was removed while the host runs");
    }

    boolean removed() {
        return removed.get();
    }

    /**
     * What tells one file from another that took its name (the inode where the platform has one); null when
     * there is no file. A file that cannot be looked at (a folder made unreadable) counts as the same: H2's
     * open file still takes the writes, and they are still there on the next start.
     */
    private Object identity() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return fileKey;
        }
    }
}

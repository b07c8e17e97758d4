package dev.switchboard.adapter.openvpn.internal.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import dev.switchboard.api.files.SecureFiles;

/**
 * Where the management socket of an OpenVPN an adapter runs goes: in the instance's folder, unless that path is
 * too long for a Unix socket (108 bytes on Linux), then in an owner-only folder of the temporary directory
 * named after the instance's folder, so that the next start of the adapter finds it again.
 */
public final class ManagementSocket {

    /** Longest socket path used, below the kernel's limit of 108 bytes with its terminating NUL. */
    private static final int MAX_BYTES = 100;
    private static final String NAME = "management.sock";

    private ManagementSocket() {
    }

    public static Path of(Path instanceDir) throws IOException {
        Path socket = instanceDir.toAbsolutePath().resolve(NAME);
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return socket;
        }
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "switchboard-openvpn-" + digest(instanceDir))
                .toAbsolutePath();
        SecureFiles.createPrivateDirectories(dir);
        // a folder someone else made there beforehand is not used
        if (Files.isSymbolicLink(dir)
                || !Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))
                || !PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)).equals("rwx------")) {
            throw new IOException(dir + " is not a folder of this user's only; remove it, or use a shorter dataDir");
        }
        return dir.resolve(NAME);
    }

    private static String digest(Path instanceDir) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(instanceDir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

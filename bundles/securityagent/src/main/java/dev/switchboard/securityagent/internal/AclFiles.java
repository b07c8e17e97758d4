package dev.switchboard.securityagent.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads the ACL files: every {@code *.json} in the extra folder sorted by name, then the main
 * file, so that an extra file's {@code assign} entries are tried before the main file's
 * catch-all. Either may be missing. Also answers a fingerprint of their names and contents, so a
 * change is seen even when a rewrite keeps the size and modification time.
 */
final class AclFiles {

    /** The files as read: their sources in the order their entries are tried, and a fingerprint of all of them. */
    record Snapshot(List<AclCompiler.Source> sources, String fingerprint) {
    }

    private final Path acl;
    private final Path dac;

    AclFiles(Path acl, Path dac) {
        this.acl = acl;
        this.dac = dac;
    }

    Snapshot read() throws IOException {
        List<Path> files = new ArrayList<>();
        if (dac != null && Files.isDirectory(dac)) {
            List<Path> extra = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dac, "*.json")) {
                for (Path file : stream) {
                    if (Files.isRegularFile(file)) {
                        extra.add(file);
                    }
                }
            }
            extra.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
            files.addAll(extra);
        }
        if (Files.isRegularFile(acl)) {
            files.add(acl);
        }
        MessageDigest digest = sha256();
        List<AclCompiler.Source> sources = new ArrayList<>();
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(content);
            digest.update((byte) 0);
            sources.add(new AclCompiler.Source(file.toString(), new String(content, StandardCharsets.UTF_8)));
        }
        return new Snapshot(List.copyOf(sources), HexFormat.of().formatHex(digest.digest()));
    }

    String describe() {
        return acl + (dac == null ? "" : " and " + dac + "/*.json");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.switchboard.securityagent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.files.SecureFiles;

/**
 * Token ids ({@code jti}) that must no longer be accepted, each kept until the token it names
 * has expired anyway; stored in an owner-only JSON file so a revocation survives restarts.
 */
final class RevocationList {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationList.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Clock clock;
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

    RevocationList(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    synchronized void load() throws IOException {
        revoked.clear();
        if (!Files.exists(file)) {
            return;
        }
        if (SecureFiles.restrictToOwner(file)) {
            LOG.warn("{} was readable by others; it is now rw-------", file);
        }
        JsonNode array = JSON.readTree(Files.readAllBytes(file)).path("revoked");
        if (!array.isArray()) {
            throw new IOException(file + ": no \"revoked\" array");
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode node = array.get(i);
            if (!node.path("jti").isTextual() || !node.path("until").canConvertToLong()) {
                throw new IOException(file + ": revoked[" + i + "] needs jti and until");
            }
            revoked.put(node.get("jti").asText(), Instant.ofEpochSecond(node.get("until").asLong()));
        }
        purge();
    }

    boolean isRevoked(String jti) {
        return jti != null && revoked.containsKey(jti);
    }

    /**
     * Revokes a token id.
     *
     * @param until when the entry may be forgotten: the latest the token can expire
     */
    synchronized void revoke(String jti, Instant until) throws IOException {
        if (jti == null || jti.isBlank()) {
            throw new IllegalArgumentException("empty token id");
        }
        revoked.merge(jti, until, (a, b) -> a.isAfter(b) ? a : b);
        dropExpired();
        try {
            store();
        } catch (IOException e) {
            // refused from now on all the same: failing closed until the restart that forgets it
            LOG.error("Token {} is revoked until the host stops only: {} cannot be written ({})", LogText.quote(jti),
                    file, e.toString());
            throw new IOException("token " + jti + " is revoked until the host stops only: " + file
                    + " cannot be written: " + e, e);
        }
        LOG.info("Revoked token {}", LogText.quote(jti));
    }

    /** Forgets the entries whose tokens have expired. */
    synchronized void purge() throws IOException {
        if (dropExpired() > 0) {
            store();
        }
    }

    /**
     * Writes the revocations in force again when their file was removed while the host runs, so that they
     * still hold after a restart.
     *
     * @return whether the file was missing although there are revocations
     */
    synchronized boolean restoreIfRemoved() throws IOException {
        if (revoked.isEmpty() || Files.exists(file)) {
            return false;
        }
        store();
        return true;
    }

    int size() {
        return revoked.size();
    }

    private int dropExpired() {
        Instant now = clock.instant();
        int before = revoked.size();
        revoked.values().removeIf(until -> !now.isBefore(until));
        return before - revoked.size();
    }

    private void store() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("revoked");
        revoked.forEach((jti, until) -> array.addObject().put("jti", jti).put("until", until.getEpochSecond()));
        SecureFiles.writePrivate(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }
}

package dev.switchboard.securityagent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.api.files.SecureFiles;

/**
 * The HMAC keys tokens are signed with, kept in an owner-only JSON file so tokens survive
 * restarts. One key signs; after {@link #rotate()} the previous ones keep validating until every
 * token they signed has expired, and are then dropped.
 */
final class TokenKeys {

    private static final Logger LOG = LoggerFactory.getLogger(TokenKeys.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Duration tokenLifetime;
    private final Clock clock;
    private final SecureRandom random;
    /** Signing key first; replaced whole, never changed in place. */
    private volatile Map<String, TokenKey> keys = Map.of();
    private volatile TokenKey signing;

    TokenKeys(Path file, Duration tokenLifetime, Clock clock, SecureRandom random) {
        this.file = file;
        this.tokenLifetime = tokenLifetime;
        this.clock = clock;
        this.random = random;
    }

    /** Loads the keys, making and storing a first one when the file does not exist yet. */
    synchronized void load() throws IOException {
        if (!Files.exists(file)) {
            TokenKey first = newKey();
            install(List.of(first));
            store();
            LOG.info("Created token key {} in {}", first.kid(), file);
            return;
        }
        if (SecureFiles.restrictToOwner(file)) {
            LOG.warn("{} was readable by others; it is now rw------- and its keys should be rotated", file);
        }
        List<TokenKey> loaded = parse(Files.readAllBytes(file));
        install(loaded);
        if (dropExpired() == 0) {
            LOG.debug("Loaded {} token key(s) from {}", loaded.size(), file);
        }
    }

    /** The key new tokens are signed with. */
    TokenKey signingKey() {
        TokenKey key = signing;
        if (key == null) {
            throw new IllegalStateException("token keys are not loaded");
        }
        return key;
    }

    /** The key with this id while it still validates. */
    Optional<TokenKey> find(String kid) {
        TokenKey key = kid == null ? null : keys.get(kid);
        return key != null && key.usableAt(clock.instant()) ? Optional.of(key) : Optional.empty();
    }

    /** Whether a key with this id still validates. */
    boolean isUsable(String kid) {
        return find(kid).isPresent();
    }

    /**
     * Makes a new signing key; the old one validates for one more token lifetime.
     *
     * @return the new key's id
     */
    synchronized String rotate() throws IOException {
        Instant now = clock.instant();
        List<TokenKey> next = new ArrayList<>();
        TokenKey fresh = newKey();
        next.add(fresh);
        for (TokenKey key : keys.values()) {
            next.add(key.signs() ? key.retire(now.plus(tokenLifetime)) : key);
        }
        Map<String, TokenKey> previous = keys;
        install(next);
        try {
            store();
        } catch (IOException e) {
            // a key that would not survive a restart signs nothing: its tokens would all fail after one
            install(List.copyOf(previous.values()));
            LOG.error("The token key was not rotated: {} cannot be written ({}); {} still signs", file, e.toString(),
                    signing.kid());
            throw new IOException("the token key was not rotated: " + file + " cannot be written: " + e, e);
        }
        LOG.info("Rotated the token key: {} signs now", fresh.kid());
        return fresh.kid();
    }

    /**
     * Forgets the retired keys all of whose tokens have expired.
     *
     * @return how many were dropped
     */
    synchronized int dropExpired() throws IOException {
        Instant now = clock.instant();
        List<TokenKey> kept = keys.values().stream().filter(k -> k.usableAt(now)).toList();
        int dropped = keys.size() - kept.size();
        if (dropped > 0) {
            install(kept);
            store();
            LOG.info("Dropped {} expired token key(s)", dropped);
        }
        return dropped;
    }

    /**
     * Writes the keys in force again when their file was removed while the host runs (its data folder deleted,
     * say), so that the tokens they signed still validate after a restart.
     *
     * @return whether the file was missing
     */
    synchronized boolean restoreIfRemoved() throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        store();
        return true;
    }

    List<String> kids() {
        return List.copyOf(keys.keySet());
    }

    private TokenKey newKey() {
        byte[] secret = new byte[TokenKey.SECRET_BYTES];
        random.nextBytes(secret);
        byte[] id = new byte[9];
        random.nextBytes(id);
        return TokenKey.of(Base64.getUrlEncoder().withoutPadding().encodeToString(id), secret,
                clock.instant(), null);
    }

    private void install(List<TokenKey> list) {
        Map<String, TokenKey> map = new LinkedHashMap<>();
        TokenKey signer = null;
        for (TokenKey key : list) {
            map.put(key.kid(), key);
            if (key.signs()) {
                signer = key;
            }
        }
        if (signer == null) {
            throw new IllegalStateException("no signing key");
        }
        keys = Map.copyOf(map);
        signing = signer;
    }

    private void store() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode array = root.putArray("keys");
        for (TokenKey key : keys.values()) {
            ObjectNode node = array.addObject();
            node.put("kid", key.kid());
            node.put("secret", Base64.getUrlEncoder().withoutPadding().encodeToString(key.secret()));
            node.put("created", key.created().getEpochSecond());
            if (key.dropAfter() != null) {
                node.put("dropAfter", key.dropAfter().getEpochSecond());
            }
        }
        SecureFiles.writePrivate(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    private List<TokenKey> parse(byte[] content) throws IOException {
        JsonNode root = JSON.readTree(content);
        JsonNode array = root == null ? null : root.get("keys");
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new IOException(file + ": no \"keys\" array");
        }
        List<TokenKey> list = new ArrayList<>();
        int signers = 0;
        for (int i = 0; i < array.size(); i++) {
            JsonNode node = array.get(i);
            String where = file + ": keys[" + i + "]";
            if (!node.path("kid").isTextual() || !node.path("secret").isTextual() || !node.path("created").canConvertToLong()) {
                throw new IOException(where + ": needs kid, secret and created");
            }
            byte[] secret;
            try {
                secret = Base64.getUrlDecoder().decode(node.get("secret").asText());
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ".secret: not base64url", e);
            }
            Instant dropAfter = node.hasNonNull("dropAfter") ? Instant.ofEpochSecond(node.get("dropAfter").asLong()) : null;
            try {
                list.add(TokenKey.of(node.get("kid").asText(), secret, Instant.ofEpochSecond(node.get("created").asLong()),
                        dropAfter));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": " + e.getMessage(), e);
            }
            if (dropAfter == null) {
                signers++;
            }
        }
        if (signers != 1) {
            throw new IOException(file + ": exactly one key must be without dropAfter, found " + signers);
        }
        return list;
    }
}

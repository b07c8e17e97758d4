package dev.switchboard.securityagent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jwt.SignedJWT;

import dev.switchboard.securityagent.internal.TokenValidation.Status;

class TokenKeysTest {

    private static final Duration LIFETIME = Duration.ofHours(1);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    private TokenKeys keys(Path file) throws IOException {
        TokenKeys keys = new TokenKeys(file, LIFETIME, clock, new SecureRandom());
        keys.load();
        return keys;
    }

    private TokenService service(TokenKeys keys) throws IOException {
        RevocationList revocations = new RevocationList(dir.resolve("revoked.json"), clock);
        revocations.load();
        return new TokenService(keys, revocations,
                new TokenService.Settings(LIFETIME, false, 4096, Duration.ofSeconds(30), 100), clock);
    }

    @Test
    void createsAnOwnerOnlyKeyFileInAnOwnerOnlyFolder() throws Exception {
        Path file = dir.resolve("data/securityagent/keys.json");
        TokenKeys keys = keys(file);

        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(dir.resolve("data"))).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(keys.signingKey().secret()).hasSize(32);
        assertThat(Files.readString(file)).contains(keys.signingKey().kid());
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void aRotationThatCannotBeWrittenIsAnErrorAndTheOldKeyKeepsSigning() throws Exception {
        Path file = dir.resolve("state/keys.json");
        TokenKeys keys = keys(file);
        String signing = keys.signingKey().kid();
        // the folder is gone and a file took its name: nothing can be written there
        Files.delete(file);
        Files.delete(file.getParent());
        Files.writeString(file.getParent(), "not a folder");

        assertThatThrownBy(keys::rotate).isInstanceOf(IOException.class).hasMessageContaining("not rotated");
        assertThat(keys.signingKey().kid()).isEqualTo(signing);
        assertThat(keys.kids()).containsExactly(signing);
    }

    @Test
    void aKeyFileRemovedWhileRunningIsWrittenAgainWithTheKeysInForce() throws Exception {
        Path file = dir.resolve("data/securityagent/keys.json");
        TokenKeys keys = keys(file);
        String signing = keys.signingKey().kid();
        assertThat(keys.restoreIfRemoved()).isFalse();
        Files.delete(file);
        Files.delete(file.getParent());

        assertThat(keys.restoreIfRemoved()).isTrue();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(keys(file).signingKey().kid()).isEqualTo(signing);
    }

    @Test
    void keysSurviveARestart() throws Exception {
        Path file = dir.resolve("keys.json");
        TokenKeys first = keys(file);
        String token = service(first).issue("http://localhost:8080");

        TokenKeys second = keys(file);
        assertThat(second.signingKey().kid()).isEqualTo(first.signingKey().kid());
        assertThat(second.signingKey().secret()).isEqualTo(first.signingKey().secret());
        assertThat(service(second).validate(token).isValid()).isTrue();
    }

    @Test
    void looserPermissionsAreTightenedOnLoad() throws Exception {
        Path file = dir.resolve("keys.json");
        keys(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        keys(file);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void rotationKeepsOldTokensValidUntilTheyCanHaveExpired() throws Exception {
        Path file = dir.resolve("keys.json");
        TokenKeys keys = keys(file);
        TokenService service = service(keys);
        String oldKid = keys.signingKey().kid();
        clock.advance(Duration.ofMinutes(30));
        String oldToken = service.issue("http://localhost:8080");

        String newKid = keys.rotate();
        assertThat(newKid).isNotEqualTo(oldKid);
        String newToken = service.issue("http://localhost:8080");
        assertThat(SignedJWT.parse(newToken).getHeader().getKeyID()).isEqualTo(newKid);
        assertThat(service.validate(oldToken).isValid()).isTrue();
        assertThat(keys(file).kids()).containsExactlyInAnyOrder(oldKid, newKid);

        clock.advance(LIFETIME.minusSeconds(1));
        assertThat(keys.dropExpired()).isZero();
        assertThat(service.validate(oldToken).isValid()).isTrue();

        clock.advance(Duration.ofSeconds(1));
        assertThat(service.validate(oldToken).status()).isIn(Status.UNKNOWN_KEY, Status.EXPIRED);
        assertThat(keys.find(oldKid)).isEmpty();
        assertThat(keys.dropExpired()).isEqualTo(1);
        assertThat(keys.kids()).containsExactly(newKid);
        assertThat(keys(file).kids()).containsExactly(newKid);
        assertThat(service.validate(service.issue("http://localhost:8080")).isValid()).isTrue();
    }

    @Test
    void aTokenWithoutExpiryDiesWithItsKey() throws Exception {
        TokenKeys keys = keys(dir.resolve("keys.json"));
        RevocationList revocations = new RevocationList(dir.resolve("revoked.json"), clock);
        TokenService lenient = new TokenService(keys, revocations,
                new TokenService.Settings(LIFETIME, true, 4096, Duration.ofSeconds(30), 100), clock);
        com.nimbusds.jwt.JWTClaimsSet claims = new com.nimbusds.jwt.JWTClaimsSet.Builder()
                .claim("url", "http://localhost").jwtID("forever").build();
        SignedJWT jwt = new SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.HS256)
                .keyID(keys.signingKey().kid()).build(), claims);
        jwt.sign(keys.signingKey().signer());
        String token = jwt.serialize();
        assertThat(lenient.validate(token).isValid()).isTrue();

        keys.rotate();
        clock.advance(LIFETIME);
        TokenValidation validation = lenient.validate(token);
        assertThat(validation.status()).isEqualTo(Status.UNKNOWN_KEY);
        assertThat(validation.reason()).contains("dropped");
    }

    @Test
    void aDamagedKeyFileIsAnError() throws Exception {
        Path file = dir.resolve("keys.json");
        Files.writeString(file, "{\"keys\":[{\"kid\":\"a\",\"secret\":\"c2hvcnQ\",\"created\":1}]}");
        assertThatThrownBy(() -> keys(file)).isInstanceOf(IOException.class).hasMessageContaining("keys[0]");
        Files.writeString(file, "{}");
        assertThatThrownBy(() -> keys(file)).isInstanceOf(IOException.class).hasMessageContaining("keys");
    }
}

package dev.switchboard.securityagent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import dev.switchboard.securityagent.internal.TokenValidation.Status;

class TokenServiceTest {

    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private TokenKeys keys;
    private RevocationList revocations;
    private TokenService service;

    @BeforeEach
    void setUp() throws Exception {
        keys = new TokenKeys(dir.resolve("keys.json"), LIFETIME, clock, new SecureRandom());
        keys.load();
        revocations = new RevocationList(dir.resolve("revoked.json"), clock);
        revocations.load();
        service = service(false);
    }

    private TokenService service(boolean acceptWithoutExpiry) {
        return new TokenService(keys, revocations,
                new TokenService.Settings(LIFETIME, acceptWithoutExpiry, 4096, Duration.ofSeconds(30), 10_000), clock);
    }

    @Test
    void issuesAnHs256JwtWithKidAndThunderClaims() throws Exception {
        String token = service.issue("{\"url\":\"https://app.example:443/page\",\"user\":\"alice\",\"hash\":\"abc\"}");

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(keys.signingKey().kid());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getStringClaim("url")).isEqualTo("https://app.example:443/page");
        assertThat(claims.getStringClaim("user")).isEqualTo("alice");
        assertThat(claims.getStringClaim("hash")).isEqualTo("abc");
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(clock.instant());
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(clock.instant().plus(LIFETIME));
        assertThat(claims.getJWTID()).hasSize(36);

        TokenValidation validation = service.validate(token);
        assertThat(validation.status()).isEqualTo(Status.VALID);
        assertThat(validation.claims().origin()).hasToString("https://app.example:443");
        assertThat(validation.claims().user()).isEqualTo("alice");
    }

    @Test
    void issuesForABareUrlAndRefusesGarbage() {
        assertThat(service.validate(service.issue("http://localhost:8080/app")).claims().origin())
                .hasToString("http://localhost:8080");
        assertThat(service.validate(service.issue("\"http://localhost\"")).claims().origin())
                .hasToString("http://localhost:80");
        assertThatThrownBy(() -> service.issue("not a url")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> service.issue("{\"user\":\"x\"}")).hasMessageContaining("url");
        assertThatThrownBy(() -> service.issue("{\"url\":")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> service.issue("{\"url\":\"http://a\",\"admin\":true}")).hasMessageContaining("admin");
        assertThatThrownBy(() -> service.issue("  ")).hasMessageContaining("empty");
    }

    @Test
    void refusesAlgNone() throws Exception {
        String plain = new PlainJWT(claims().build()).serialize();
        assertInvalid(plain, "segments");

        String header = B64.encodeToString(("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + keys.signingKey().kid() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        String withSignature = header + "." + plain.split("\\.")[1] + "." + B64.encodeToString(new byte[32]);
        assertThat(service.validate(withSignature).status()).isEqualTo(Status.INVALID);
    }

    @Test
    void refusesRs256AndEs256WhereHs256IsExpected() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        assertRefused(sign(JWSAlgorithm.RS256, keys.signingKey().kid(), new RSASSASigner(rsa), claims()),
                Status.ALGORITHM_NOT_ALLOWED, "algorithm RS256");

        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        assertRefused(sign(JWSAlgorithm.ES256, keys.signingKey().kid(), new ECDSASigner(ec), claims()),
                Status.ALGORITHM_NOT_ALLOWED, "algorithm ES256");
    }

    @Test
    void refusesATokenSignedWithAnotherKey() throws Exception {
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        assertRefused(sign(JWSAlgorithm.HS256, keys.signingKey().kid(), new MACSigner(other), claims()),
                Status.BAD_SIGNATURE, "signature does not match");
    }

    @Test
    void refusesATamperedHeaderOrPayload() {
        String[] parts = service.issue("http://localhost:8080").split("\\.");
        String header = B64.encodeToString(("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + keys.signingKey().kid() + "\",\"x\":1}")
                .getBytes(StandardCharsets.UTF_8));
        assertRefused(header + "." + parts[1] + "." + parts[2], Status.BAD_SIGNATURE, "signature does not match");

        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("localhost:8080", "evil.example:443");
        assertRefused(parts[0] + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2],
                Status.BAD_SIGNATURE, "signature does not match");
    }

    @Test
    void refusesCharactersAfterTheSignature() {
        String token = service.issue("http://localhost:8080");
        for (String suffix : List.of("A", "=", ".", ".x", " ", "\n", "%00")) {
            assertThat(service.validate(token + suffix).status()).as("suffix %s", suffix).isEqualTo(Status.INVALID);
        }
        assertThat(service.validate(token).isValid()).isTrue();
    }

    @Test
    void refusesATruncatedSignature() {
        String token = service.issue("http://localhost:8080");
        assertInvalid(token.substring(0, token.length() - 1), "signature");
        assertInvalid(token.substring(0, token.length() - 4), "signature");
        assertInvalid(token.substring(0, token.length() - 3), "signature has 30 bytes");
        assertInvalid(token.substring(0, token.lastIndexOf('.') + 1), "segments");
    }

    @Test
    void refusesNonBase64UrlCharacters() {
        String token = service.issue("http://localhost:8080");
        int dot = token.indexOf('.');
        for (char c : new char[] {'+', '/', '=', '!', 'é'}) {
            assertInvalid(token.substring(0, dot + 3) + c + token.substring(dot + 4), "base64url");
        }
        // the last character carries unused bits: another character that decodes alike is refused
        char last = token.charAt(token.length() - 1);
        char sibling = (char) (last ^ 1);
        String altered = token.substring(0, token.length() - 1) + sibling;
        assertThat(service.validate(altered).status()).isEqualTo(Status.INVALID);
    }

    @Test
    void refusesAnExpiredToken() {
        String token = service.issue("http://localhost:8080");
        clock.advance(LIFETIME.minusSeconds(1));
        assertThat(service.validate(token).isValid()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        TokenValidation validation = service.validate(token);
        assertThat(validation.status()).isEqualTo(Status.EXPIRED);
        assertThat(validation.reason()).contains("expired");
    }

    @Test
    void refusesNbfOrIatInTheFutureBeyondTheSkew() throws Exception {
        Instant now = clock.instant();
        String nbf = signed(claims().notBeforeTime(Date.from(now.plusSeconds(300))));
        assertThat(service.validate(nbf).status()).isEqualTo(Status.NOT_YET_VALID);
        String iat = signed(claims().issueTime(Date.from(now.plusSeconds(300))));
        assertThat(service.validate(iat).status()).isEqualTo(Status.NOT_YET_VALID);
        String withinSkew = signed(claims().issueTime(Date.from(now.plusSeconds(10))));
        assertThat(service.validate(withinSkew).status()).isEqualTo(Status.VALID);
        clock.advance(Duration.ofSeconds(300));
        assertThat(service.validate(nbf).status()).isEqualTo(Status.VALID);
    }

    @Test
    void refusesARevokedTokenEvenWhenCached() throws Exception {
        String token = service.issue("http://localhost:8080");
        assertThat(service.validate(token).isValid()).isTrue();
        service.revoke(service.jtiOf(token).orElseThrow());
        assertThat(service.validate(token).status()).isEqualTo(Status.REVOKED);
        assertThat(service.validate(service.issue("http://localhost:8080")).isValid()).isTrue();
    }

    @Test
    void refusesAnUnknownOrMissingKid() throws Exception {
        JWSSigner signer = keys.signingKey().signer();
        assertRefused(sign(JWSAlgorithm.HS256, "no-such-key", signer, claims()), Status.UNKNOWN_KEY, "unknown key id");
        assertRefused(sign(JWSAlgorithm.HS256, null, signer, claims()), Status.UNKNOWN_KEY, "no key id");
    }

    @Test
    void refusesATokenLargerThanTheLimit() throws Exception {
        String big = signed(claims().claim("user", "x".repeat(5000)));
        assertInvalid(big, "larger than 4096 bytes");
    }

    @Test
    void refusesATokenWithoutExpiryUnlessConfigured() throws Exception {
        String token = signed(claims().expirationTime(null));
        assertInvalid(token, "no exp");
        assertThat(service(true).validate(token).status()).isEqualTo(Status.VALID);
    }

    @Test
    void neverThrows() {
        for (String token : new String[] {null, "", ".", "..", "a.b.c", "\u0000", "eyJ.eyJ.sig", "a".repeat(100_000)}) {
            assertThat(service.validate(token).status()).isEqualTo(Status.INVALID);
        }
    }

    private void assertInvalid(String token, String reason) {
        assertRefused(token, Status.INVALID, reason);
    }

    private void assertRefused(String token, Status status, String reason) {
        TokenValidation validation = service.validate(token);
        assertThat(validation.status()).as(validation.reason()).isEqualTo(status);
        assertThat(validation.reason()).contains(reason);
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().claim("url", "http://localhost:8080").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME))).jwtID(java.util.UUID.randomUUID().toString());
    }

    private String signed(JWTClaimsSet.Builder claims) throws Exception {
        return sign(JWSAlgorithm.HS256, keys.signingKey().kid(), keys.signingKey().signer(), claims);
    }

    private static String sign(JWSAlgorithm algorithm, String kid, JWSSigner signer, JWTClaimsSet.Builder claims)
            throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(kid).build(),
                claims.build());
        jwt.sign(signer);
        return jwt.serialize();
    }
}

package dev.switchboard.securityagent.internal;

import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.switchboard.securityagent.internal.TokenValidation.Status;

/**
 * Issues and validates the tokens: compact JWTs, HMAC-SHA256 signed with a {@link TokenKeys} key
 * named by {@code kid}, carrying Thunder's {@code url}/{@code user}/{@code hash} and
 * {@code iat}/{@code exp}/{@code jti}. Validation never throws; it names why a token is refused.
 */
final class TokenService {

    /**
     * @param lifetime                  how long an issued token is valid
     * @param acceptTokensWithoutExpiry whether a token without {@code exp} is valid (Thunder's are)
     * @param maxTokenBytes             longer tokens are refused before they are parsed
     * @param skew                      how far in the future {@code iat} and {@code nbf} may be
     * @param cacheCapacity             how many validated tokens are remembered
     */
    record Settings(Duration lifetime, boolean acceptTokensWithoutExpiry, int maxTokenBytes, Duration skew,
            int cacheCapacity) {

        static Settings defaults() {
            return new Settings(Duration.ofDays(1), false, 4096, Duration.ofSeconds(30), 10_000);
        }
    }

    /** Bytes of an HMAC-SHA256 signature. */
    private static final int SIGNATURE_BYTES = 32;
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
    private static final Base64.Encoder BASE64URL_OUT = Base64.getUrlEncoder().withoutPadding();

    private final TokenKeys keys;
    private final RevocationList revocations;
    private final Settings settings;
    private final Clock clock;
    private final ValidationCache cache;

    TokenService(TokenKeys keys, RevocationList revocations, Settings settings, Clock clock) {
        this.keys = keys;
        this.revocations = revocations;
        this.settings = settings;
        this.clock = clock;
        this.cache = new ValidationCache(settings.cacheCapacity());
    }

    /**
     * Issues a token for a payload: Thunder's JSON {@code {"url","user","hash"}} or a bare URL.
     *
     * @throws IllegalArgumentException naming what is wrong with the payload
     */
    String issue(String payload) {
        TokenPayload request = TokenPayload.parse(payload);
        TokenKey key = keys.signingKey();
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .claim("url", request.url())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(settings.lifetime())))
                .jwtID(UUID.randomUUID().toString());
        if (request.user() != null) {
            claims.claim("user", request.user());
        }
        if (request.hash() != null) {
            claims.claim("hash", request.hash());
        }
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID(key.kid()).build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** Validates a token: form, algorithm, key, signature, time and revocation; not the ACL. */
    TokenValidation validate(String token) {
        try {
            if (token == null || token.isEmpty()) {
                return TokenValidation.invalid("no token");
            }
            if (token.length() > settings.maxTokenBytes()) {
                return TokenValidation.invalid("token larger than " + settings.maxTokenBytes() + " bytes");
            }
            TokenClaims claims = cache.get(token);
            if (claims == null) {
                TokenValidation verified = verify(token);
                if (!verified.isValid()) {
                    return verified;
                }
                claims = verified.claims();
                cache.put(token, claims);
            }
            TokenValidation current = current(claims);
            if (!current.isValid()) {
                cache.remove(token);
            }
            return current;
        } catch (RuntimeException e) {
            return TokenValidation.invalid("unreadable token: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Revokes a token id until any token with it has expired.
     */
    void revoke(String jti) throws IOException {
        revocations.revoke(jti, clock.instant().plus(settings.lifetime()).plus(settings.skew()));
    }

    /** The id of a token that is valid now, to revoke it. */
    Optional<String> jtiOf(String token) {
        TokenValidation validation = validate(token);
        return validation.isValid() ? Optional.of(validation.claims().jti()) : Optional.empty();
    }

    /** What must hold on every use of a token whose signature was checked. */
    private TokenValidation current(TokenClaims claims) {
        if (!keys.isUsable(claims.kid())) {
            return TokenValidation.refused(Status.UNKNOWN_KEY, "the key " + claims.kid() + " was dropped");
        }
        if (revocations.isRevoked(claims.jti())) {
            return TokenValidation.refused(Status.REVOKED, "token " + claims.jti() + " was revoked");
        }
        Instant now = clock.instant();
        if (claims.expires() != null && !now.isBefore(claims.expires())) {
            return TokenValidation.refused(Status.EXPIRED, "token expired at " + claims.expires());
        }
        if (claims.notBefore() != null && now.plus(settings.skew()).isBefore(claims.notBefore())) {
            return TokenValidation.refused(Status.NOT_YET_VALID, "token is not valid before " + claims.notBefore());
        }
        return TokenValidation.valid(claims);
    }

    private TokenValidation verify(String token) {
        String problem = checkForm(token);
        if (problem != null) {
            return TokenValidation.invalid(problem);
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            return TokenValidation.invalid("not a signed JWT: " + e.getMessage());
        }
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.HS256.equals(header.getAlgorithm())) {
            return TokenValidation.refused(Status.ALGORITHM_NOT_ALLOWED,
                    "algorithm " + header.getAlgorithm() + " is not accepted, only HS256");
        }
        if (header.getType() != null && !JOSEObjectType.JWT.equals(header.getType())) {
            return TokenValidation.invalid("type " + header.getType() + " is not accepted, only JWT");
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            return TokenValidation.invalid("critical header parameters are not accepted");
        }
        int signatureBytes = jwt.getSignature().decode().length;
        if (signatureBytes != SIGNATURE_BYTES) {
            return TokenValidation.invalid("signature has " + signatureBytes + " bytes, not " + SIGNATURE_BYTES);
        }
        Optional<TokenKey> key = keys.find(header.getKeyID());
        if (key.isEmpty()) {
            return TokenValidation.refused(Status.UNKNOWN_KEY,
                    header.getKeyID() == null ? "no key id (kid)" : "unknown key id " + header.getKeyID());
        }
        try {
            // Nimbus's MACVerifier compares the MAC in constant time
            if (!jwt.verify(key.get().verifier())) {
                return TokenValidation.refused(Status.BAD_SIGNATURE, "signature does not match");
            }
        } catch (JOSEException e) {
            return TokenValidation.refused(Status.BAD_SIGNATURE, "signature cannot be checked: " + e.getMessage());
        }
        return readClaims(jwt, key.get().kid());
    }

    private TokenValidation readClaims(SignedJWT jwt, String kid) {
        JWTClaimsSet claims;
        String url;
        String user;
        String hash;
        try {
            claims = jwt.getJWTClaimsSet();
            url = claims.getStringClaim("url");
            user = claims.getStringClaim("user");
            hash = claims.getStringClaim("hash");
        } catch (ParseException e) {
            return TokenValidation.invalid("claims are not readable: " + e.getMessage());
        }
        if (url == null) {
            return TokenValidation.invalid("no url claim");
        }
        if (claims.getJWTID() == null || claims.getJWTID().isEmpty()) {
            return TokenValidation.invalid("no jti claim");
        }
        Instant expires = instant(claims.getExpirationTime());
        if (expires == null && !settings.acceptTokensWithoutExpiry()) {
            return TokenValidation.invalid("no exp claim");
        }
        Instant issued = instant(claims.getIssueTime());
        Instant notBefore = instant(claims.getNotBeforeTime());
        Instant start = issued == null ? notBefore : notBefore == null || issued.isAfter(notBefore) ? issued : notBefore;
        return TokenValidation.valid(new TokenClaims(url, Origin.of(url).orElse(null), user, hash, claims.getJWTID(), kid,
                start, expires));
    }

    /**
     * Three non-empty base64url segments in their canonical form: no padding, no other
     * characters, no stray bits, nothing after the signature.
     */
    private static String checkForm(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || second == token.length() - 1 || token.indexOf('.', second + 1) >= 0) {
            return "not three non-empty dot-separated segments";
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
                return "character " + (c < ' ' || c > '~' ? String.format("U+%04X", (int) c) : "'" + c + "'")
                        + " at " + i + " is not base64url";
            }
        }
        String[] segments = {token.substring(0, first), token.substring(first + 1, second), token.substring(second + 1)};
        String[] names = {"header", "payload", "signature"};
        for (int i = 0; i < segments.length; i++) {
            byte[] decoded;
            try {
                decoded = BASE64URL.decode(segments[i]);
            } catch (IllegalArgumentException e) {
                return names[i] + " is not base64url";
            }
            if (!BASE64URL_OUT.encodeToString(decoded).equals(segments[i])) {
                return names[i] + " is not canonical base64url";
            }
        }
        return null;
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }
}

package dev.switchboard.securityagent.internal;

import java.time.Instant;

/**
 * What a valid token says.
 *
 * @param origin    the origin of its {@code url}, or {@code null} when that is not a URL
 * @param notBefore the later of {@code nbf} and {@code iat}, or {@code null}
 * @param expires   {@code exp}, or {@code null}
 */
record TokenClaims(String url, Origin origin, String user, String hash, String jti, String kid, Instant notBefore,
        Instant expires) {
}

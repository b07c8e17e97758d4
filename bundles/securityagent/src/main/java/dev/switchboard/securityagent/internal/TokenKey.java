package dev.switchboard.securityagent.internal;

import java.time.Instant;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;

/**
 * One HMAC-SHA256 key.
 *
 * @param kid       the key id tokens name in their header
 * @param secret    the 32-byte secret
 * @param created   when the key was made
 * @param dropAfter when the key stops validating: {@code null} while it signs, else the moment
 *                  every token it signed has expired
 * @param signer    signs with the secret
 * @param verifier  checks signatures made with the secret; Nimbus's {@link MACVerifier} compares
 *                  the MACs in constant time
 */
record TokenKey(String kid, byte[] secret, Instant created, Instant dropAfter, JWSSigner signer, JWSVerifier verifier) {

    static final int SECRET_BYTES = 32;

    static TokenKey of(String kid, byte[] secret, Instant created, Instant dropAfter) {
        if (secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("key " + kid + " has " + secret.length + " bytes, not " + SECRET_BYTES);
        }
        try {
            return new TokenKey(kid, secret.clone(), created, dropAfter, new MACSigner(secret), new MACVerifier(secret));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("key " + kid + " is not a usable HMAC key: " + e.getMessage(), e);
        }
    }

    TokenKey retire(Instant dropAt) {
        return new TokenKey(kid, secret, created, dropAt, signer, verifier);
    }

    boolean signs() {
        return dropAfter == null;
    }

    boolean usableAt(Instant now) {
        return dropAfter == null || now.isBefore(dropAfter);
    }

    @Override
    public String toString() {
        return "TokenKey[" + kid + "]";
    }
}

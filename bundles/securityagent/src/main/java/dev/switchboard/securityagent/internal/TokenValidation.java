package dev.switchboard.securityagent.internal;

/**
 * The outcome of validating a token.
 *
 * @param claims the token's claims when {@link Status#VALID}, else {@code null}
 * @param reason why the token was refused, {@code null} when valid
 */
record TokenValidation(Status status, TokenClaims claims, String reason) {

    enum Status {
        VALID, EXPIRED, NOT_YET_VALID, REVOKED, INVALID
    }

    static TokenValidation valid(TokenClaims claims) {
        return new TokenValidation(Status.VALID, claims, null);
    }

    static TokenValidation refused(Status status, String reason) {
        return new TokenValidation(status, null, reason);
    }

    static TokenValidation invalid(String reason) {
        return refused(Status.INVALID, reason);
    }

    boolean isValid() {
        return status == Status.VALID;
    }
}

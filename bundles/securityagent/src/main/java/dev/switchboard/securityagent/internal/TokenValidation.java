package dev.switchboard.securityagent.internal;

/**
 * The outcome of validating a token.
 *
 * @param claims the token's claims when {@link Status#VALID}, else {@code null}
 * @param reason why the token was refused, {@code null} when valid
 */
record TokenValidation(Status status, TokenClaims claims, String reason) {

    /** Valid, or the kind of reason a token is refused for (the reason itself says more). */
    enum Status {
        VALID,
        EXPIRED,
        NOT_YET_VALID,
        REVOKED,
        /** Signed with an algorithm other than HS256. */
        ALGORITHM_NOT_ALLOWED,
        /** Its key id is missing, unknown or dropped. */
        UNKNOWN_KEY,
        /** Its signature does not match its content. */
        BAD_SIGNATURE,
        /** Not a well-formed token of ours: form, encoding, header or claims. */
        INVALID
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

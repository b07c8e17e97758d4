package dev.switchboard.securityagent.internal;

import java.io.IOException;

import dev.switchboard.api.security.TokenIssuer;

/** What the console commands may do with a running SecurityAgent. */
public interface TokenAuthority extends TokenIssuer {

    /** Revokes a token by its id ({@code jti}). */
    void revoke(String jti) throws IOException;

    /**
     * Makes a new signing key; tokens signed with the old one stay valid until they expire.
     *
     * @return the new key's id
     */
    String rotate() throws IOException;
}

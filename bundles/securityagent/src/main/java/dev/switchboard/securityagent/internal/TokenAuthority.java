package dev.switchboard.securityagent.internal;

import java.io.IOException;

/** What the console commands may do with a running SecurityAgent. */
public interface TokenAuthority {

    /**
     * Issues a token for Thunder's JSON payload or a bare URL.
     *
     * @throws IllegalArgumentException naming what is wrong with the payload
     */
    String issue(String payload);

    /** Revokes a token by its id ({@code jti}). */
    void revoke(String jti) throws IOException;

    /**
     * Makes a new signing key; tokens signed with the old one stay valid until they expire.
     *
     * @return the new key's id
     */
    String rotate() throws IOException;
}

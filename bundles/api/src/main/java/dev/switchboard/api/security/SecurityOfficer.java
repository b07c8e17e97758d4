package dev.switchboard.api.security;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides which calls a token may make. The transport consults the highest ranked service of this
 * type for every call from outside the host; with none registered and enforcement on, it fails
 * closed.
 */
@ConsumerType
public interface SecurityOfficer {

    /**
     * @param token the token the call carried, or {@code null}
     * @param call  the call
     * @return the decision; must not throw for a bad token
     */
    Decision decide(String token, Call call);
}

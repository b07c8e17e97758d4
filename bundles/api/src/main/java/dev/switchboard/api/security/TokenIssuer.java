package dev.switchboard.api.security;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Issues tokens inside the host, for commands an administrator runs at the host's own console (such
 * as the one that opens the operator's web console). Never reachable from the network.
 */
@ProviderType
public interface TokenIssuer {

    /**
     * Issues a token for Thunder's JSON payload or a bare URL; the ACL applies to the URL's origin.
     *
     * @throws IllegalArgumentException naming what is wrong with the payload
     */
    String issue(String payload);
}

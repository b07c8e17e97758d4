package dev.switchboard.securityagent.internal;

import dev.switchboard.api.plugin.JsonRpcInterface;
import dev.switchboard.api.plugin.JsonRpcMethod;

/** Thunder's ISecurityAgent over JSON-RPC. */
@JsonRpcInterface(name = "JSecurityAgent", major = 1)
public interface JSecurityAgent {

    /** The {@code validate} params. */
    record Token(String token) {
    }

    /**
     * Whether a token is valid: its form, algorithm, key, signature, time and revocation; the ACL
     * is not consulted.
     */
    @JsonRpcMethod
    boolean validate(Token params);
}

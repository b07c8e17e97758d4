package dev.switchboard.securityagent.internal;

import dev.switchboard.api.plugin.JsonRpcInterface;
import dev.switchboard.api.plugin.JsonRpcMethod;

/** Thunder's ISecurityAgent over JSON-RPC. */
@JsonRpcInterface(name = "JSecurityAgent", major = 1)
public interface JSecurityAgent {

    /** The {@code validate} params: {@code token} is bound as any JSON value so that one that is not a string is refused. */
    record Token(Object token) {
    }

    /**
     * Whether a token is valid: its form, algorithm, key, signature, time and revocation; the ACL
     * is not consulted. Params without a {@code token} string: -32602.
     */
    @JsonRpcMethod
    boolean validate(Token params);
}

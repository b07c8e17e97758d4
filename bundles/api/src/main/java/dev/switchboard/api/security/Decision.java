package dev.switchboard.api.security;

/** A security officer's answer. */
public enum Decision {
    /** The token may make this call. */
    ALLOWED,
    /** The token is valid but the ACL does not allow this call: JSON-RPC -32604. */
    DENIED,
    /** No token, or one that is not valid: HTTP 401, or -32604 on a WebSocket. */
    UNAUTHENTICATED
}

package dev.switchboard.api.jsonrpc;

/** The JSON-RPC error codes and messages of Thunder R5, which clients compare against. */
public enum ErrorCode {
    PARSE_ERROR(-32700, "Parse error"),
    INVALID_REQUEST(-32600, "Invalid request."),
    UNKNOWN_METHOD(-32601, "Unknown method."),
    INVALID_PARAMETERS(-32602, "Invalid parameters."),
    INTERNAL_ERROR(-32603, "Unknown JSON-RPC error."),
    NOT_ALLOWED(-32604, "Method invocation not allowed."),
    TIMED_OUT(-32000, "Call timed out."),
    SERVICE_UNAVAILABLE(-31043, "The service is not available."),
    SERVICE_NOT_ACTIVE(-31002, "The service is not active."),
    VERSION_NOT_SUPPORTED(-31038, "Requested version is not supported."),
    INVALID_DESIGNATOR(-31015, "Designator is invalid."),
    ILLEGAL_STATE(-31005, "Illegal state."),
    UNKNOWN_KEY(-31022, "Unknown key."),
    GENERAL(-31001, "ERROR_GENERAL"),
    DUPLICATE_KEY(-31029, "ERROR_DUPLICATE_KEY"),
    NOT_SUPPORTED(-31044, "The operation is not supported."),
    IN_PROCESS(-31047, "ERROR_INPROC"),
    REGISTER_FAILED(-31048, "Registration failed."),
    UNREGISTER_FAILED(-31049, "Unregistration failed.");

    private final int code;
    private final String message;

    ErrorCode(int code, String message) {
        this.code = code;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }
}

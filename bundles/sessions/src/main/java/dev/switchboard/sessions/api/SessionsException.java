package dev.switchboard.sessions.api;

import java.util.Map;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;

/**
 * A Service API error: a JSON-RPC error whose {@code data} is {@code {"reason": ..., "detail": ...}}.
 */
public class SessionsException extends JsonRpcException {

    private static final long serialVersionUID = 1L;

    /** Why a call failed, with the JSON-RPC error it answers. */
    public enum Reason {
        UNKNOWN_PRODUCT(ErrorCode.UNKNOWN_KEY),
        UNKNOWN_TEMPLATE(ErrorCode.UNKNOWN_KEY),
        UNKNOWN_OFFERING(ErrorCode.UNKNOWN_KEY),
        UNKNOWN_ORDER(ErrorCode.UNKNOWN_KEY),
        UNKNOWN_CLIENT(ErrorCode.UNKNOWN_KEY),
        UNKNOWN_SESSION(ErrorCode.UNKNOWN_KEY),
        BAD_CREDENTIAL(ErrorCode.NOT_ALLOWED),
        BAD_PASSWORD(ErrorCode.NOT_ALLOWED),
        TOO_MANY_FAILURES(ErrorCode.NOT_ALLOWED),
        OTHER_PRODUCT(ErrorCode.NOT_ALLOWED),
        NOT_ACTIVE(ErrorCode.ILLEGAL_STATE),
        ILLEGAL_TRANSITION(ErrorCode.ILLEGAL_STATE),
        SUPPLY_EXHAUSTED(ErrorCode.ILLEGAL_STATE),
        INVALID_PARAMETERS(ErrorCode.INVALID_PARAMETERS),
        USAGE_DECREASED(ErrorCode.INVALID_PARAMETERS),
        INVALID_SCHEMA(ErrorCode.INVALID_PARAMETERS),
        INVALID_ACCESS_MESSAGE(ErrorCode.INVALID_PARAMETERS),
        DATABASE_UNAVAILABLE(ErrorCode.SERVICE_UNAVAILABLE);

        private final ErrorCode error;

        Reason(ErrorCode error) {
            this.error = error;
        }

        public ErrorCode error() {
            return error;
        }
    }

    private final Reason reason;

    public SessionsException(Reason reason, String detail) {
        super(reason.error().code(), reason.error().message(),
                Map.of("reason", reason.name(), "detail", detail == null ? "" : detail));
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public String detail() {
        return String.valueOf(((Map<?, ?>) data()).get("detail"));
    }

    /** With the reason and detail, for logs: the message alone is the JSON-RPC error's. */
    @Override
    public String toString() {
        return getClass().getName() + ": " + getMessage() + " " + reason + ": " + detail();
    }
}

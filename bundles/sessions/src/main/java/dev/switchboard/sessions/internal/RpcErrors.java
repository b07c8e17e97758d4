package dev.switchboard.sessions.internal;

import java.util.Map;
import java.util.function.Supplier;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.sessions.api.SessionsException;
import dev.switchboard.sessions.api.SessionsException.Reason;

/**
 * The Service API's errors as JSON-RPC errors: Thunder's code and message for the reason, with
 * {@code {"reason": ..., "detail": ...}} as the error's {@code data}.
 */
final class RpcErrors {

    private RpcErrors() {
    }

    /** Runs a call of the JSON-RPC face; a {@link SessionsException} becomes its JSON-RPC error. */
    static <T> T answer(Supplier<T> call) {
        try {
            return call.get();
        } catch (SessionsException e) {
            throw of(e);
        }
    }

    static JsonRpcException of(SessionsException e) {
        ErrorCode error = code(e.reason());
        return new JsonRpcException(error.code(), error.message(),
                Map.of("reason", e.reason().name(), "detail", e.detail()));
    }

    static ErrorCode code(Reason reason) {
        return switch (reason) {
            case UNKNOWN_PRODUCT, UNKNOWN_TEMPLATE, UNKNOWN_OFFERING, UNKNOWN_ORDER, UNKNOWN_CLIENT, UNKNOWN_SESSION ->
                ErrorCode.UNKNOWN_KEY;
            case BAD_CREDENTIAL, BAD_PASSWORD, TOO_MANY_FAILURES, OTHER_PRODUCT -> ErrorCode.NOT_ALLOWED;
            case NOT_ACTIVE, ILLEGAL_TRANSITION, SUPPLY_EXHAUSTED -> ErrorCode.ILLEGAL_STATE;
            case INVALID_PARAMETERS, USAGE_DECREASED, INVALID_SCHEMA, INVALID_ACCESS_MESSAGE ->
                ErrorCode.INVALID_PARAMETERS;
            case DATABASE_UNAVAILABLE -> ErrorCode.SERVICE_UNAVAILABLE;
            case DATABASE_ERROR -> ErrorCode.INTERNAL_ERROR;
        };
    }
}

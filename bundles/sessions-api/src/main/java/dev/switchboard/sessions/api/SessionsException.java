package dev.switchboard.sessions.api;

/**
 * Why a Service API call failed: a {@link Reason} and a detail saying what was wrong. A transport
 * maps the reason to its own error (the JSON-RPC face to Thunder's codes).
 */
public class SessionsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a call failed. */
    public enum Reason {
        UNKNOWN_PRODUCT,
        UNKNOWN_TEMPLATE,
        UNKNOWN_OFFERING,
        UNKNOWN_ORDER,
        UNKNOWN_CLIENT,
        UNKNOWN_SESSION,
        BAD_CREDENTIAL,
        BAD_PASSWORD,
        TOO_MANY_FAILURES,
        OTHER_PRODUCT,
        NOT_ACTIVE,
        ILLEGAL_TRANSITION,
        SUPPLY_EXHAUSTED,
        INVALID_PARAMETERS,
        USAGE_DECREASED,
        INVALID_SCHEMA,
        INVALID_ACCESS_MESSAGE,
        DATABASE_UNAVAILABLE,
        /** The database failed in a way a retry does not mend; the host's log says how. */
        DATABASE_ERROR
    }

    private final Reason reason;
    private final String detail;

    public SessionsException(Reason reason, String detail) {
        // expected outcomes of bad input: a stack trace would say nothing the reason does not
        super(reason + ": " + (detail == null ? "" : detail), null, false, false);
        this.reason = reason;
        this.detail = detail == null ? "" : detail;
    }

    public Reason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }
}

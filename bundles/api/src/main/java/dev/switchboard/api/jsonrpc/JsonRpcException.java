package dev.switchboard.api.jsonrpc;

/**
 * Thrown by a plugin method to answer a JSON-RPC error. The message is sent to the client, so it
 * must say what was wrong with the request and must not leak internals.
 */
public class JsonRpcException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int code;
    private final transient Object data;

    public JsonRpcException(int code, String message, Object data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    public JsonRpcException(ErrorCode error) {
        this(error.code(), error.message(), null);
    }

    /** Thunder's code and message, with {@code detail} as the error's {@code data}. */
    public JsonRpcException(ErrorCode error, String detail) {
        this(error.code(), error.message(), detail);
    }

    public int code() {
        return code;
    }

    /** The error's {@code data} member, or {@code null}. */
    public Object data() {
        return data;
    }
}

package dev.switchboard.rpc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;

/** JSON-RPC 2.0's envelope: what makes a request valid, and how a result or an error is sent back. */
final class Envelope {

    /** Characters of a text error detail sent to the caller; the rest is summarised by its length. */
    static final int MAX_ERROR_DATA_CHARS = 1024;

    private Envelope() {
    }

    /** The request's id when it is one JSON-RPC allows (string, number, null), null when absent. */
    static boolean validId(JsonNode id) {
        return id == null || id.isTextual() || id.isNumber() || id.isNull();
    }

    /** The method named, or "?" where there is none to name in a log line. */
    static String methodOf(JsonNode request) {
        JsonNode method = request.isObject() ? request.get("method") : null;
        return method != null && method.isTextual() ? method.asText() : "?";
    }

    /** Throws -32600 unless the request is an object of version 2.0 naming a method. */
    static void validate(JsonNode request) {
        if (!request.isObject()) {
            throw new JsonRpcException(ErrorCode.INVALID_REQUEST, "a request is a JSON object");
        }
        if (!"2.0".equals(request.path("jsonrpc").asText(null))) {
            throw new JsonRpcException(ErrorCode.INVALID_REQUEST, "jsonrpc must be \"2.0\"");
        }
        JsonNode method = request.get("method");
        if (method == null || !method.isTextual() || method.asText().isEmpty()) {
            throw new JsonRpcException(ErrorCode.INVALID_REQUEST, "method must be a non-empty string");
        }
    }

    static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode response = of(id);
        response.set("result", result);
        return response;
    }

    static ObjectNode error(JsonNode id, JsonRpcException e) {
        ObjectNode error = Json.MAPPER.createObjectNode().put("code", e.code()).put("message", e.getMessage());
        if (e.data() instanceof String text && text.length() > MAX_ERROR_DATA_CHARS) {
            // the detail may quote the request (a method name of a megabyte): it is not sent back whole
            error.put("data", text.substring(0, MAX_ERROR_DATA_CHARS) + "...(" + text.length() + " chars)");
        } else if (e.data() != null) {
            error.set("data", Json.MAPPER.valueToTree(e.data()));
        }
        ObjectNode response = of(id);
        response.set("error", error);
        return response;
    }

    private static ObjectNode of(JsonNode id) {
        ObjectNode response = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0");
        response.set("id", id == null ? Json.MAPPER.nullNode() : id);
        return response;
    }
}

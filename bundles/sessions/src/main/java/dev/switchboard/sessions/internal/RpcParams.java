package dev.switchboard.sessions.internal;

import static dev.switchboard.sessions.internal.Inputs.bad;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.sessions.api.UsageReport;

/** The JSON-RPC face's parameters checked: anything missing or of the wrong JSON type is an invalid-params error. */
final class RpcParams {

    private RpcParams() {
    }

    static <T> T need(T params) {
        if (params == null) {
            throw bad("params are required");
        }
        return params;
    }

    /** A JSON integer that fits a long; absent is {@code absent}. */
    static long integer(JsonNode node, String name, Long absent) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            if (absent == null) {
                throw bad(name + " is required");
            }
            return absent;
        }
        if (!node.isIntegralNumber()) {
            throw bad(name + " must be a JSON integer");
        }
        if (!node.canConvertToLong()) {
            throw bad(name + " is too large");
        }
        return node.longValue();
    }

    static Map<String, String> stringMap(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw bad("config must be an object of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getValue().isTextual()) {
                throw bad("config." + field.getKey() + " must be a string");
            }
            map.put(field.getKey(), field.getValue().textValue());
        }
        return map;
    }

    static UsageReport usage(JsonNode up, JsonNode down, boolean optional) {
        boolean absent = (up == null || up.isNull()) && (down == null || down.isNull());
        if (optional && absent) {
            return null;
        }
        return new UsageReport(integer(up, "bytesUp", null), integer(down, "bytesDown", null));
    }
}

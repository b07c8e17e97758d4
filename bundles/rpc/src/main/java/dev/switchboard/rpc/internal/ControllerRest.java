package dev.switchboard.rpc.internal;

import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.plugin.PluginConstants;

/**
 * Thunder's legacy REST calls on {@code /Service/Controller}, each the JSON-RPC call it mirrors, so
 * that the token, the ACL, the metrics and the errors are those of the JSON-RPC call:
 * <pre>
 * GET /Service/Controller                        Controller.1.status          {"plugins":[...]}
 * GET /Service/Controller/Plugin/&lt;Callsign&gt;      Controller.1.status@Callsign the plugin's status
 * PUT /Service/Controller/Activate/&lt;Callsign&gt;    Controller.1.activate
 * PUT /Service/Controller/Deactivate/&lt;Callsign&gt;  Controller.1.deactivate
 * PUT /Service/Controller/Persist                Controller.1.persist
 * </pre>
 */
final class ControllerRest {

    static final Set<String> GET = Cors.methods("GET", "OPTIONS");
    static final Set<String> PUT = Cors.methods("PUT", "OPTIONS");

    /** What the JSON-RPC answer becomes: the whole result under "plugins", its first element, or no body. */
    enum Shape { PLUGINS, FIRST, NONE }

    /**
     * @param methods the HTTP methods the path serves
     * @param request the JSON-RPC request it stands for
     */
    record Route(Set<String> methods, ObjectNode request, Shape shape) {
    }

    private ControllerRest() {
    }

    /** @param segments the path after {@code /Service/Controller}, split at slashes; null when it names nothing */
    static Route route(List<String> segments) {
        if (segments.isEmpty()) {
            return new Route(GET, call("status", null), Shape.PLUGINS);
        }
        String action = segments.get(0);
        if (segments.size() == 1 && action.equals("Persist")) {
            return new Route(PUT, call("persist", null), Shape.NONE);
        }
        if (segments.size() != 2 || !isCallsign(segments.get(1))) {
            return null;
        }
        String callsign = segments.get(1);
        return switch (action) {
            case "Plugin" -> new Route(GET, call("status@" + callsign, null), Shape.FIRST);
            case "Activate", "Deactivate" -> new Route(PUT, call(action.toLowerCase(java.util.Locale.ROOT),
                    Json.MAPPER.createObjectNode().put(PluginConstants.CALLSIGN, callsign)), Shape.NONE);
            default -> null;
        };
    }

    private static ObjectNode call(String method, ObjectNode params) {
        ObjectNode request = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", 1)
                .put("method", PluginConstants.CONTROLLER + ".1." + method);
        if (params != null) {
            request.set("params", params);
        }
        return request;
    }

    /** Letters, digits, '_', '-' and '.', as a designator's callsign; anything else names no plugin. */
    static boolean isCallsign(String text) {
        return !text.isEmpty() && text.length() <= 255 && text.chars()
                .allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.'));
    }

    /** The body of a successful answer, or null for none. */
    static JsonNode body(Shape shape, JsonNode result) {
        return switch (shape) {
            case PLUGINS -> Json.MAPPER.createObjectNode().set("plugins", result);
            case FIRST -> result.isArray() && !result.isEmpty() ? result.get(0) : result;
            case NONE -> null;
        };
    }

    /** The HTTP status a JSON-RPC error stands for on a REST call. */
    static int status(int code, boolean unauthenticated) {
        if (code == ErrorCode.NOT_ALLOWED.code()) {
            return unauthenticated ? HttpServletResponse.SC_UNAUTHORIZED : HttpServletResponse.SC_FORBIDDEN;
        }
        if (code == ErrorCode.UNKNOWN_KEY.code() || code == ErrorCode.SERVICE_UNAVAILABLE.code()) {
            return HttpServletResponse.SC_NOT_FOUND;
        }
        if (code == ErrorCode.INVALID_PARAMETERS.code() || code == ErrorCode.INVALID_DESIGNATOR.code()) {
            return HttpServletResponse.SC_BAD_REQUEST;
        }
        if (code == ErrorCode.UNKNOWN_METHOD.code()) {
            return HttpServletResponse.SC_NOT_IMPLEMENTED;
        }
        if (code == ErrorCode.TIMED_OUT.code()) {
            return HttpServletResponse.SC_GATEWAY_TIMEOUT;
        }
        if (code == Dispatcher.SERVER_BUSY || code == ErrorCode.SERVICE_NOT_ACTIVE.code()) {
            return HttpServletResponse.SC_SERVICE_UNAVAILABLE;
        }
        if (code == ErrorCode.ILLEGAL_STATE.code()) {
            return HttpServletResponse.SC_CONFLICT;
        }
        return HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
    }
}

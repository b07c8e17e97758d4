package dev.switchboard.rpc.internal;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;

/**
 * The methods every plugin answers without declaring them, as Thunder's do: {@code versions},
 * {@code exists}, and {@code register}/{@code unregister} for events on a WebSocket.
 */
final class BuiltInMethods {

    private record Registration(String event, String id) {
    }

    private record MethodName(String method) {
    }

    private final EventHub events;

    BuiltInMethods(EventHub events) {
        this.events = events;
    }

    static boolean isBuiltIn(String method) {
        return switch (method) {
            case "versions", "exists", "register", "unregister" -> true;
            default -> false;
        };
    }

    /**
     * Answers built-in method {@code name} of {@code plugin}.
     *
     * @param methods    the plugin's declared methods in the version called
     * @param index      the designator's index: register@X asks for the events about X only
     * @param subscriber where events go, or null on a channel that carries none
     */
    Object call(String name, BoundPlugin plugin, Map<String, MethodHandler> methods, JsonNode params, String index,
            EventHub.Subscriber subscriber) {
        switch (name) {
            case "versions":
                return plugin.methods().versions();
            case "exists":
                String asked = bind(params, MethodName.class).method();
                if (asked == null) {
                    throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, "method is required");
                }
                return isBuiltIn(asked) || methods.containsKey(asked);
            case "register":
            case "unregister":
                return subscription(name.equals("register"), plugin.callsign(), index, bind(params, Registration.class),
                        subscriber);
            default:
                throw new IllegalArgumentException(name + " is not a built-in method");
        }
    }

    private Object subscription(boolean register, String callsign, String index, Registration registration,
            EventHub.Subscriber subscriber) {
        ErrorCode failed = register ? ErrorCode.REGISTER_FAILED : ErrorCode.UNREGISTER_FAILED;
        if (registration.event() == null || registration.id() == null) {
            throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, "event and id are required");
        }
        if (subscriber == null) {
            throw new JsonRpcException(failed, "events are delivered on a WebSocket only");
        }
        if (register) {
            if (!events.register(callsign, registration.event(), index, registration.id(), subscriber)) {
                throw new JsonRpcException(failed, registration.id() + " is registered for " + registration.event()
                        + (index == null ? "" : "@" + index) + " already");
            }
        } else if (!events.unregister(callsign, registration.event(), index, registration.id(), subscriber)) {
            throw new JsonRpcException(failed, "no registration of " + registration.id() + " for " + registration.event());
        }
        return null;
    }

    private static <T> T bind(JsonNode params, Class<T> type) {
        if (params == null || !params.isObject()) {
            throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, "params must be an object");
        }
        try {
            return Json.MAPPER.treeToValue(params, type);
        } catch (Exception e) {
            throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, e.getMessage());
        }
    }
}

package dev.switchboard.rpc.internal;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.InterfaceVersion;
import dev.switchboard.api.plugin.JsonRpcInterface;
import dev.switchboard.api.plugin.JsonRpcMethod;
import dev.switchboard.api.plugin.PluginInterfaces;

/**
 * The JSON-RPC methods of one plugin class, reflected once when the plugin binds so that a
 * call is a map lookup. Interfaces are keyed by major version; the first declared is the default.
 */
final class MethodTable {

    private final List<InterfaceVersion> versions = new ArrayList<>();
    private final Map<Integer, Map<String, MethodHandler>> byMajor = new LinkedHashMap<>();

    MethodTable(Class<?> pluginClass, ObjectMapper mapper) {
        for (Class<?> type : PluginInterfaces.of(pluginClass)) {
            JsonRpcInterface declaration = type.getAnnotation(JsonRpcInterface.class);
            versions.add(InterfaceVersion.of(declaration));
            Map<String, MethodHandler> methods = byMajor.computeIfAbsent(declaration.major(), m -> new LinkedHashMap<>());
            Map<String, List<Method>> byName = new LinkedHashMap<>();
            for (Method method : type.getMethods()) {
                JsonRpcMethod annotation = method.getAnnotation(JsonRpcMethod.class);
                if (annotation != null) {
                    String name = annotation.value().isEmpty() ? method.getName() : annotation.value();
                    byName.computeIfAbsent(name, n -> new ArrayList<>()).add(method);
                }
            }
            byName.forEach((name, overloads) -> methods.putIfAbsent(name, MethodHandler.of(name, overloads, mapper)));
        }
        if (versions.isEmpty()) {
            throw new IllegalArgumentException(pluginClass.getName() + " implements no @JsonRpcInterface");
        }
    }

    List<InterfaceVersion> versions() {
        return versions;
    }

    /** The methods of the interface with this major version; 0 selects the default interface. */
    Map<String, MethodHandler> methods(int version) {
        Map<String, MethodHandler> methods = methodsOrNull(version);
        if (methods == null) {
            throw new JsonRpcException(ErrorCode.VERSION_NOT_SUPPORTED, "no interface with major version " + version);
        }
        return methods;
    }

    /** As {@link #methods(int)}, but null when there is no interface with that version. */
    Map<String, MethodHandler> methodsOrNull(int version) {
        return version == 0 ? byMajor.values().iterator().next() : byMajor.get(version);
    }
}

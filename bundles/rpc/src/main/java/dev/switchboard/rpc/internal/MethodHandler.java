package dev.switchboard.rpc.internal;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.Caller;
import dev.switchboard.api.plugin.Index;
import dev.switchboard.api.plugin.JsonRpcMethod;

/**
 * One JSON-RPC method of a plugin: a plain method, or a property whose get takes no params and
 * whose set takes them.
 */
final class MethodHandler {

    private final String name;
    private final boolean property;
    /** The plain method, or the property's get. */
    private final Invoker get;
    private final Invoker set;

    private MethodHandler(String name, boolean property, Invoker get, Invoker set) {
        this.name = name;
        this.property = property;
        this.get = get;
        this.set = set;
    }

    static MethodHandler of(String name, List<Method> overloads, ObjectMapper mapper) {
        boolean property = overloads.get(0).getAnnotation(JsonRpcMethod.class).property();
        if (!property) {
            if (overloads.size() > 1) {
                throw new IllegalArgumentException("JSON-RPC method " + name + " is declared twice; only properties have a get and a set");
            }
            return new MethodHandler(name, false, new Invoker(overloads.get(0), mapper), null);
        }
        Invoker get = null;
        Invoker set = null;
        for (Method method : overloads) {
            Invoker invoker = new Invoker(method, mapper);
            if (invoker.takesParams()) {
                set = invoker;
            } else {
                get = invoker;
            }
        }
        return new MethodHandler(name, true, get, set);
    }

    Object invoke(Object plugin, JsonNode params, String index, Caller caller) throws Exception {
        boolean hasParams = params != null && !params.isNull() && !params.isMissingNode();
        // Clients that always send params send {} to read a property.
        boolean setting = hasParams && !(params.isObject() && params.isEmpty());
        Invoker invoker = property && (setting || get == null) ? set : get;
        if (invoker == null) {
            throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, name + " is a read-only property");
        }
        return invoker.invoke(plugin, hasParams ? params : null, index, caller);
    }

    /**
     * Binds the Java parameters of one method: the params object, the {@code @Index}, the {@link Caller}.
     * A request without params binds as {@code {}} when every member of the params record is
     * optional (Thunder clients omit params then); see {@link #allOptional}.
     */
    private static final class Invoker {
        private static final JsonNode NO_PARAMS = JsonNodeFactory.instance.objectNode();

        private final Method method;
        private final ObjectReader paramsReader;
        private final boolean paramsOptional;
        private final boolean takesIndex;
        private final Binder[] binders;

        private interface Binder {
            Object bind(JsonNode params, String index, Caller caller) throws IOException;
        }

        Invoker(Method method, ObjectMapper mapper) {
            this.method = method;
            Parameter[] parameters = method.getParameters();
            binders = new Binder[parameters.length];
            ObjectReader reader = null;
            boolean optional = false;
            boolean index = false;
            for (int i = 0; i < parameters.length; i++) {
                Parameter parameter = parameters[i];
                if (parameter.isAnnotationPresent(Index.class)) {
                    index = true;
                    binders[i] = (p, x, c) -> x;
                } else if (parameter.getType() == Caller.class) {
                    binders[i] = (p, x, c) -> c;
                } else if (reader == null) {
                    ObjectReader paramsReader = mapper.readerFor(mapper.constructType(parameter.getParameterizedType()));
                    reader = paramsReader;
                    optional = allOptional(parameter.getType());
                    binders[i] = (p, x, c) -> p == null ? null : paramsReader.readValue(p);
                } else {
                    throw new IllegalArgumentException(method + " takes more than one params argument");
                }
            }
            this.paramsReader = reader;
            this.paramsOptional = optional;
            this.takesIndex = index;
        }

        /**
         * Whether {@code {}} binds the type with every member absent, as it binds an empty params
         * object: a record whose components all hold a reference, so an absent one is
         * {@code null} and the plugin can tell it was not given (an absent primitive would be a
         * silent 0). A component marked {@code @JsonProperty(required = true)} is refused by the
         * binding itself.
         */
        private static boolean allOptional(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            return components != null && Arrays.stream(components).noneMatch(c -> c.getType().isPrimitive());
        }

        boolean takesParams() {
            return paramsReader != null;
        }

        Object invoke(Object plugin, JsonNode params, String index, Caller caller) throws Exception {
            if (index != null && !takesIndex) {
                throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, method.getName() + " takes no @index");
            }
            if (params == null && takesParams()) {
                if (!paramsOptional) {
                    throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, "params are required");
                }
                params = NO_PARAMS;
            }
            Object[] args = new Object[binders.length];
            try {
                for (int i = 0; i < binders.length; i++) {
                    args[i] = binders[i].bind(params, index, caller);
                }
            } catch (IOException e) {
                throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS,
                        e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
            }
            try {
                return method.invoke(plugin, args);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }
}

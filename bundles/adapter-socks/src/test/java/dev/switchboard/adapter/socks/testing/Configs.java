package dev.switchboard.adapter.socks.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

/** A component property type (a DS configuration annotation) from a map, defaults from the annotation. */
public final class Configs {

    private Configs() {
    }

    public static <A> A of(Class<A> type, Map<String, ?> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            return switch (method.getName()) {
                case "annotationType" -> type;
                case "toString" -> type.getSimpleName() + values;
                case "hashCode" -> values.hashCode();
                case "equals" -> proxy == args[0];
                default -> value(method, values);
            };
        }));
    }

    private static Object value(Method method, Map<String, ?> values) {
        Object value = values.get(method.getName());
        if (value == null) {
            return method.getDefaultValue();
        }
        return value;
    }
}

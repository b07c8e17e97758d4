package dev.switchboard.api.plugin;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Finds the {@link JsonRpcInterface}s a plugin class implements, default interface first. */
public final class PluginInterfaces {

    private PluginInterfaces() {
    }

    public static List<Class<?>> of(Class<?> pluginClass) {
        Set<Class<?>> found = new LinkedHashSet<>();
        for (Class<?> c = pluginClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                collect(i, found);
            }
        }
        return new ArrayList<>(found);
    }

    public static List<InterfaceVersion> versions(Class<?> pluginClass) {
        return of(pluginClass).stream()
                .map(i -> InterfaceVersion.of(i.getAnnotation(JsonRpcInterface.class)))
                .toList();
    }

    private static void collect(Class<?> type, Set<Class<?>> found) {
        if (type.isAnnotationPresent(JsonRpcInterface.class)) {
            found.add(type);
        }
        for (Class<?> parent : type.getInterfaces()) {
            collect(parent, found);
        }
    }
}

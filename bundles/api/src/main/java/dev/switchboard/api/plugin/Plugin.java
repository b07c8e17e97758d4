package dev.switchboard.api.plugin;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A plugin: an OSGi service with the service property {@value PluginConstants#CALLSIGN}, answered
 * over JSON-RPC by that callsign.
 *
 * <p>Its JSON-RPC methods are those of the Java interfaces it implements that carry
 * {@link JsonRpcInterface}; the first such interface (in {@code implements} order) is the default
 * one, used when a designator names no version.
 */
@ConsumerType
public interface Plugin {

    /**
     * Called by the transport when it starts answering this plugin, with the sink its events go
     * through; called again with {@link EventSink#DISCARD} when it stops.
     */
    default void attach(EventSink events) {
    }
}

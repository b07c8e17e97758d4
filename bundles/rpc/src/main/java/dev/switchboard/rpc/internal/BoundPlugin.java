package dev.switchboard.rpc.internal;

import dev.switchboard.api.plugin.Plugin;

/** A plugin service as the transport holds it: its callsign, its method table, its service id. */
record BoundPlugin(String callsign, Plugin plugin, MethodTable methods, long serviceId) {
}

package dev.switchboard.api.plugin;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Which callsigns have a plugin configured, whether or not it runs: the host's plugin manager
 * knows, so that the transport can answer a call to a configured plugin that is not running
 * "not active" (-31005) and one to a callsign nobody configured "unavailable" (-31002) without
 * reading configurations itself.
 */
@ProviderType
public interface ConfiguredCallsigns {

    /** Whether a plugin configuration holds this callsign. */
    boolean isConfigured(String callsign);
}

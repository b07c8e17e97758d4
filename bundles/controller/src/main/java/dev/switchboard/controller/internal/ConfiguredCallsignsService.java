package dev.switchboard.controller.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.switchboard.api.plugin.ConfiguredCallsigns;

/**
 * Tells the transport which callsigns are configured, from the plugin states, under the API type
 * alone: the transport never sees a type of this bundle's internals.
 */
@Component(service = ConfiguredCallsigns.class)
public class ConfiguredCallsignsService implements ConfiguredCallsigns {

    private final PluginStates states;

    @Activate
    public ConfiguredCallsignsService(@Reference PluginStates states) {
        this.states = states;
    }

    @Override
    public boolean isConfigured(String callsign) {
        return states.isConfigured(callsign);
    }
}

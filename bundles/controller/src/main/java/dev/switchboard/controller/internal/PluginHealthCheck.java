package dev.switchboard.controller.internal;

import java.util.List;

import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.switchboard.api.plugin.StartMode;

/**
 * A Felix Health Check over the plugin states: CRITICAL when a plugin configured to run
 * ({@code startmode=Activated}) failed to activate, WARN when it is otherwise not running
 * (waiting for a precondition, or deactivated on request), OK when every such plugin runs.
 * Each plugin is one line of the result. Registered only where the Health Check API is installed.
 */
@Component(service = HealthCheck.class, property = {
    HealthCheck.NAME + "=Switchboard plugins",
    HealthCheck.TAGS + "=switchboard",
    HealthCheck.TAGS + "=plugins"
})
public class PluginHealthCheck implements HealthCheck {

    private final PluginStates states;

    @Activate
    public PluginHealthCheck(@Reference PluginStates states) {
        this.states = states;
    }

    @Override
    public Result execute() {
        return new Result(evaluate(states.status(null)));
    }

    static FormattingResultLog evaluate(List<JController.PluginStatus> plugins) {
        FormattingResultLog log = new FormattingResultLog();
        if (plugins.isEmpty()) {
            log.info("No plugin is configured");
        }
        for (JController.PluginStatus plugin : plugins) {
            boolean wanted = StartMode.Activated.name().equals(plugin.startmode());
            if (PluginStatusReader.ACTIVATED.equals(plugin.state())) {
                log.info("{} is activated", plugin.callsign());
            } else if (!wanted) {
                log.info("{} is {} (startmode {})", plugin.callsign(), plugin.state(), plugin.startmode());
            } else if (PluginStatusReader.INITIALIZATION_FAILED.equals(plugin.reason())) {
                log.critical("{} failed to activate (startmode Activated, state {}, {})", plugin.callsign(),
                        plugin.state(), plugin.reason());
            } else {
                log.warn("{} is not activated (startmode Activated, state {}, {})", plugin.callsign(), plugin.state(),
                        plugin.reason());
            }
        }
        return log;
    }
}

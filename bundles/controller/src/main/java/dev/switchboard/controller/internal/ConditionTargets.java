package dev.switchboard.controller.internal;

import java.util.Dictionary;

import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Component;

/**
 * Makes every plugin instance wait for its own condition: SCR activates the instance with
 * callsign X only while {@link PluginStates} registers the condition for X. That is how
 * activate, deactivate and startmode work without touching the stored configuration.
 * The launcher names this plugin in {@code felix.cm.config.plugins}, so Config Admin delivers
 * no plugin configuration before it is present.
 */
@Component(property = ConditionTargets.PLUGIN_ID_PROPERTY + "=" + ConditionTargets.PLUGIN_ID)
public class ConditionTargets implements ConfigurationPlugin {

    static final String PLUGIN_ID_PROPERTY = "config.plugin.id";
    static final String PLUGIN_ID = "dev.switchboard.controller";
    static final String TARGET = "osgi.ds.satisfying.condition.target";

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        Object factoryPid = properties.get(ConfigurationAdmin.SERVICE_FACTORYPID);
        Object callsign = properties.get(dev.switchboard.api.plugin.PluginConstants.CALLSIGN);
        if (factoryPid instanceof String kind && PluginStates.isManagedKind(kind) && callsign instanceof String name) {
            properties.put(TARGET, PluginStates.conditionFilter(name));
        }
    }
}

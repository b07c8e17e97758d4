package dev.switchboard.controller.internal;

import java.util.Dictionary;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Component;

/**
 * Makes every plugin instance wait for its own condition: SCR activates the instance of a
 * configuration only while {@link StartModeConditions} registers the condition for that configuration.
 * That is how activate, deactivate, startmode and unique callsigns work without touching the stored
 * configuration. A configuration without a valid callsign, or refused its callsign, never runs.
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
        Object pid = properties.get(Constants.SERVICE_PID);
        if (factoryPid instanceof String kind && StartModeConditions.isManagedKind(kind) && pid instanceof String own) {
            properties.put(TARGET, StartModeConditions.conditionFilter(own));
        }
    }
}

package dev.switchboard.controller.internal;

import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import dev.switchboard.api.config.Settings;
import dev.switchboard.api.plugin.InterfaceVersion;
import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.api.plugin.PluginInterfaces;
import dev.switchboard.api.plugin.StartMode;

/**
 * The status of a plugin instance as Thunder's Controller reports it: its state, why, and what to
 * do, read from its configuration, its callsign claim, its condition and SCR's view of its instance.
 */
final class PluginStatusReader {

    /** States and reasons as Thunder R5 spells them (IShell::state, IShell::reason). */
    static final String ACTIVATED = "Activated";
    static final String DEACTIVATED = "Deactivated";
    static final String UNAVAILABLE = "Unavailable";
    static final String PRECONDITION = "Precondition";
    static final String INITIALIZATION_FAILED = "InitializationFailed";
    static final String SHUTDOWN = "Shutdown";
    /** No instance can be made: another configuration holds the callsign, or no bundle provides the kind. */
    static final String INSTANTIATION_FAILED = "InstantiationFailed";

    /**
     * What the Controller knows of an instance.
     *
     * @param heldBy              the claim holding the callsign this instance claims, when that is another; else null
     * @param reason              why it last changed state
     * @param conditionRegistered whether its condition lets it run
     */
    record Facts(String factoryPid, Dictionary<String, Object> properties, CallsignClaims.Claim claim,
            CallsignClaims.Claim heldBy, String reason, boolean conditionRegistered) {
    }

    private final PluginKinds kinds;

    PluginStatusReader(PluginKinds kinds) {
        this.kinds = kinds;
    }

    JController.PluginStatus read(Facts facts) {
        ComponentConfigurationDTO instance = kinds.instance(facts.claim().pid());
        ComponentDescriptionDTO kind = instance != null ? instance.description : kinds.describe(facts.factoryPid());
        return status(facts, instance, kind, kind == null ? null : kinds.implementation(kind));
    }

    /**
     * @param instance SCR's view of the instance, or null when SCR has none
     * @param kind     the component the configuration configures, or null when no bundle provides it
     * @param type     its class, or null when it cannot be loaded
     */
    static JController.PluginStatus status(Facts facts, ComponentConfigurationDTO instance, ComponentDescriptionDTO kind,
            Class<?> type) {
        String name = facts.claim().callsign();
        Map<String, Object> values = asMap(facts.properties());
        StartMode mode = StartModeConditions.startMode(values, new Settings(facts.claim().pid(), values));
        String state;
        String reason = facts.reason();
        String detail = null;
        if (facts.heldBy() != null) {
            state = UNAVAILABLE;
            reason = INSTANTIATION_FAILED;
            detail = "callsign " + name + " is held by " + facts.heldBy();
        } else if (kind == null) {
            state = UNAVAILABLE;
            reason = INSTANTIATION_FAILED;
            detail = "no installed bundle provides plugin kind " + facts.factoryPid();
        } else if (instance != null && instance.state == ComponentConfigurationDTO.ACTIVE) {
            state = ACTIVATED;
        } else if (PluginKinds.activationFailure(instance) != null) {
            state = DEACTIVATED;
            reason = INITIALIZATION_FAILED;
            detail = PluginKinds.activationFailure(instance);
        } else if (facts.conditionRegistered()) {
            state = PRECONDITION;
            detail = PluginKinds.waitingFor(instance);
        } else {
            state = mode == StartMode.Unavailable ? UNAVAILABLE : DEACTIVATED;
        }
        boolean activated = ACTIVATED.equals(state) && type != null;
        List<InterfaceVersion> versions = activated ? PluginInterfaces.versions(type) : List.of();
        return new JController.PluginStatus(name, kind == null ? null : kind.bundle.symbolicName,
                kind == null ? facts.factoryPid().substring(PluginConstants.FACTORY_PID_PREFIX.length())
                        : classname(kind.implementationClass), state, reason, detail,
                mode.name(), versions, ConfigurationValues.ownProperties(facts.properties()));
    }

    /**
     * Thunder's class name of a kind, the name a Thunder plugin file gives as {@code classname}: the
     * implementation's simple name without {@code Plugin} ({@code SecurityAgent}, {@code DeviceInfo},
     * {@code Controller}, {@code Sessions}).
     */
    static String classname(String implementationClass) {
        String name = implementationClass.substring(
                Math.max(implementationClass.lastIndexOf('.'), implementationClass.lastIndexOf('$')) + 1);
        return name.endsWith("Plugin") && name.length() > "Plugin".length()
                ? name.substring(0, name.length() - "Plugin".length()) : name;
    }

    static Map<String, Object> asMap(Dictionary<String, Object> properties) {
        Map<String, Object> map = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            map.put(key, properties.get(key));
        }
        return map;
    }
}

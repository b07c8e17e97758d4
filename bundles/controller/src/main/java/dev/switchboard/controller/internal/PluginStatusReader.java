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
import dev.switchboard.api.plugin.PluginInterfaces;
import dev.switchboard.api.plugin.StartMode;

/**
 * The status of a plugin instance as Thunder's Controller reports it: its state, why, and what to
 * do, read from its configuration, its callsign claim, its condition and SCR's view of its instance.
 */
final class PluginStatusReader {

    static final String DUPLICATE_CALLSIGN = "DuplicateCallsign";
    static final String UNKNOWN_CLASSNAME = "UnknownClassname";
    static final String INITIALIZATION_FAILED = "InitializationFailed";

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
            state = "unavailable";
            reason = DUPLICATE_CALLSIGN;
            detail = "callsign " + name + " is held by " + facts.heldBy();
        } else if (kind == null) {
            state = "unavailable";
            reason = UNKNOWN_CLASSNAME;
            detail = "no installed bundle provides plugin kind " + facts.factoryPid();
        } else if (instance != null && instance.state == ComponentConfigurationDTO.ACTIVE) {
            state = "activated";
        } else if (PluginKinds.activationFailure(instance) != null) {
            state = "deactivated";
            reason = INITIALIZATION_FAILED;
            detail = PluginKinds.activationFailure(instance);
        } else if (facts.conditionRegistered()) {
            state = "precondition";
            detail = PluginKinds.waitingFor(instance);
        } else {
            state = mode == StartMode.Unavailable ? "unavailable" : "deactivated";
        }
        boolean activated = "activated".equals(state) && type != null;
        List<InterfaceVersion> versions = activated ? PluginInterfaces.versions(type) : List.of();
        return new JController.PluginStatus(name, kind == null ? null : kind.bundle.symbolicName,
                kind == null ? facts.factoryPid() : kind.implementationClass, state, reason, detail,
                mode.name(), versions, ConfigurationValues.ownProperties(facts.properties()));
    }

    static Map<String, Object> asMap(Dictionary<String, Object> properties) {
        Map<String, Object> map = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            map.put(key, properties.get(key));
        }
        return map;
    }
}

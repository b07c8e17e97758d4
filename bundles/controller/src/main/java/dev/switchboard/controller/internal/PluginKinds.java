package dev.switchboard.controller.internal;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** What SCR knows of the plugin kinds: which component a factory PID configures, and failed activations. */
final class PluginKinds {

    private final ServiceComponentRuntime runtime;

    PluginKinds(ServiceComponentRuntime runtime) {
        this.runtime = runtime;
    }

    /** The component that the configurations of this factory PID configure, or null when no bundle provides it. */
    ComponentDescriptionDTO describe(String factoryPid) {
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            if (description.configurationPid != null && Arrays.asList(description.configurationPid).contains(factoryPid)) {
                return description;
            }
        }
        return null;
    }

    /** Why the instance of this configuration failed to activate, in one line; null when it did not fail. */
    String activationFailure(String pid) {
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (configuration.state == ComponentConfigurationDTO.FAILED_ACTIVATION
                        && pid.equals(configuration.properties.get(Constants.SERVICE_PID))) {
                    return firstCause(configuration.failure);
                }
            }
        }
        return null;
    }

    /** The references the instance of this configuration waits for, in one line; null when it waits for none. */
    String waitingFor(String pid) {
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (pid.equals(configuration.properties.get(Constants.SERVICE_PID))
                        && configuration.unsatisfiedReferences != null && configuration.unsatisfiedReferences.length > 0) {
                    return "waiting for " + Arrays.stream(configuration.unsatisfiedReferences)
                            .map(reference -> reference.name)
                            .collect(Collectors.joining(", "));
                }
            }
        }
        return null;
    }

    /**
     * SCR gives the failure as a stack trace: its deepest "Caused by" line (else its first line) says
     * what went wrong without the frames.
     */
    static String firstCause(String failure) {
        if (failure == null || failure.isBlank()) {
            return "activation failed";
        }
        String cause = failure.lines().findFirst().orElse(failure).trim();
        for (String line : failure.lines().toList()) {
            if (line.trim().startsWith("Caused by: ")) {
                cause = line.trim().substring("Caused by: ".length());
            }
        }
        return cause;
    }
}

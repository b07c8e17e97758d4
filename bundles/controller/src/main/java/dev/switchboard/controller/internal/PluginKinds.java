package dev.switchboard.controller.internal;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * What SCR knows of the plugin kinds and instances: which component a factory PID configures, and
 * the state of the instance of a configuration. Read from SCR's DTOs, never by getting a plugin
 * service, which would wait for an instance that is still activating.
 */
final class PluginKinds {

    private final BundleContext context;
    private final ServiceComponentRuntime runtime;

    PluginKinds(BundleContext context, ServiceComponentRuntime runtime) {
        this.context = context;
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

    /** SCR's view of the instance of this configuration, or null when SCR has none. */
    ComponentConfigurationDTO instance(String pid) {
        for (ComponentDescriptionDTO description : runtime.getComponentDescriptionDTOs()) {
            for (ComponentConfigurationDTO configuration : runtime.getComponentConfigurationDTOs(description)) {
                if (pid.equals(configuration.properties.get(Constants.SERVICE_PID))) {
                    return configuration;
                }
            }
        }
        return null;
    }

    /** The class of a component, loaded by its bundle; null when the bundle is gone. */
    Class<?> implementation(ComponentDescriptionDTO description) {
        Bundle bundle = context.getBundle(description.bundle.id);
        try {
            return bundle == null ? null : bundle.loadClass(description.implementationClass);
        } catch (ClassNotFoundException | IllegalStateException e) {
            return null;
        }
    }

    /** Why the instance of this configuration failed to activate, in one line; null when it did not fail. */
    String activationFailure(String pid) {
        return activationFailure(instance(pid));
    }

    static String activationFailure(ComponentConfigurationDTO instance) {
        return instance != null && instance.state == ComponentConfigurationDTO.FAILED_ACTIVATION
                ? firstCause(instance.failure) : null;
    }

    /** The references an instance waits for, in one line; null when it waits for none. */
    static String waitingFor(ComponentConfigurationDTO instance) {
        if (instance == null || instance.unsatisfiedReferences == null || instance.unsatisfiedReferences.length == 0) {
            return null;
        }
        return "waiting for " + Arrays.stream(instance.unsatisfiedReferences).map(reference -> reference.name)
                .collect(Collectors.joining(", "));
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

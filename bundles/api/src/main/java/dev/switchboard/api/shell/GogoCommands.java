package dev.switchboard.api.shell;

import java.util.Hashtable;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWiring;

/** Registers an object's methods as Gogo commands in scope {@value #SCOPE}. */
public final class GogoCommands {

    public static final String SCOPE = "switchboard";

    /** The package of Karaf's shell actions ({@code @Command}, {@code Action}). */
    static final String KARAF_ACTIONS = "org.apache.karaf.shell.api.action";

    private GogoCommands() {
    }

    /**
     * Registers {@code commands} as the Gogo commands {@code switchboard:<function>} (Gogo calls the
     * public methods of those names), unless the bundle of {@code context} is wired to Karaf's action
     * API. Such a bundle carries Karaf actions of the same names, which complete their arguments, and
     * Karaf's console presents those. It would present Gogo commands too, and two commands of one name
     * do not mix there: Karaf runs the one registered last, completes with whichever it lists last and
     * drops the name altogether when either goes away.
     *
     * @return the registration, to unregister when the commands go; {@code null} where Karaf's actions
     *         present them
     */
    public static ServiceRegistration<?> register(BundleContext context, Object commands, String... functions) {
        if (karafActions(context.getBundle())) {
            return null;
        }
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", SCOPE);
        properties.put("osgi.command.function", functions.clone());
        // Gogo finds commands by these properties whatever the service's type
        return context.registerService(Object.class.getName(), commands, properties);
    }

    static boolean karafActions(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        return wiring != null && wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE).stream()
                .anyMatch(wire -> KARAF_ACTIONS.equals(
                        wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE)));
    }
}

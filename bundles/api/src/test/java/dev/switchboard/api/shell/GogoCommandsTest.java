package dev.switchboard.api.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

class GogoCommandsTest {

    /** An object of {@code type} answering the named methods with the given values (others: null). */
    @SuppressWarnings("unchecked")
    private static <T> T fake(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answers.get(method.getName()));
    }

    private static BundleWire importOf(String packageName) {
        BundleCapability capability = fake(BundleCapability.class,
                Map.of("getAttributes", Map.of(PackageNamespace.PACKAGE_NAMESPACE, packageName)));
        return fake(BundleWire.class, Map.of("getCapability", capability));
    }

    private final List<Dictionary<String, ?>> registered = new ArrayList<>();

    private BundleContext contextImporting(String... packages) {
        BundleWiring wiring = fake(BundleWiring.class,
                Map.of("getRequiredWires", List.of(packages).stream().map(GogoCommandsTest::importOf).toList()));
        Bundle bundle = fake(Bundle.class, Map.of("adapt", wiring));
        ServiceRegistration<?> registration = fake(ServiceRegistration.class, Map.of());
        return (BundleContext) Proxy.newProxyInstance(BundleContext.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getBundle" -> bundle;
                    case "registerService" -> {
                        registered.add((Dictionary<String, ?>) args[2]);
                        yield registration;
                    }
                    default -> null;
                });
    }

    @Test
    void registersGogoCommandsWhereKarafDoesNotPresentThem() {
        Object commands = new Object();
        assertThat(GogoCommands.register(contextImporting("org.osgi.framework"), commands, "plugins", "config"))
                .isNotNull();
        assertThat(registered).hasSize(1);
        assertThat(registered.get(0).get("osgi.command.scope")).isEqualTo("switchboard");
        assertThat((String[]) registered.get(0).get("osgi.command.function")).containsExactly("plugins", "config");
    }

    @Test
    void leavesThemToTheKarafActionsOfABundleWiredToKarafsShell() {
        assertThat(GogoCommands.register(contextImporting("org.osgi.framework", "org.apache.karaf.shell.api.action"),
                new Object(), "plugins")).isNull();
        assertThat(registered).isEmpty();
    }
}

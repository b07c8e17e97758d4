package dev.switchboard.itests;

import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bootDelegationPackage;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Boots exactly the bundles of the launcher distribution ({@code launcher/target/switchboard/bundle} and
 * {@code deploy}) plus the fixture plugin in a forked Felix, with HTTP on a free loopback port.
 */
public abstract class SwitchboardTestSupport {

    private static final String PORT_PROPERTY = "org.osgi.service.http.port";

    @Inject
    protected BundleContext context;

    @Inject
    protected ConfigurationAdmin configAdmin;

    /** The transport's configuration (etc/dev.switchboard.rpc.cfg): enforcement off unless a class says so. */
    protected String rpcConfiguration() {
        return "enforce=false\n";
    }

    @Configuration
    public Option[] configuration() throws IOException {
        Path distribution = Path.of(System.getProperty("switchboard.distribution"));
        Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "home");
        Path etc = Files.createDirectories(home.resolve("etc"));
        Files.writeString(etc.resolve("dev.switchboard.rpc.cfg"), rpcConfiguration());
        Files.writeString(etc.resolve("dev.switchboard.controller-Controller.cfg"), "callsign=Controller\n");
        Files.writeString(etc.resolve("dev.switchboard.deviceinfo-DeviceInfo.cfg"), "callsign=DeviceInfo\n");

        List<Option> options = new ArrayList<>();
        // bundle/boot (logging) first, as the launcher starts it first; deploy/ holds the service adapters
        for (Path folder : List.of(distribution.resolve("bundle/boot"), distribution.resolve("bundle"),
                distribution.resolve("deploy"))) {
            try (Stream<Path> jars = Files.list(folder)) {
                jars.filter(p -> p.toString().endsWith(".jar")).sorted()
                        .forEach(p -> options.add(bundle(p.toUri().toString())));
            }
        }
        options.add(bundle(new File(System.getProperty("fixture.bundle")).toURI().toString()));
        options.addAll(Arrays.asList(
                junitBundles(),
                frameworkProperty(PORT_PROPERTY).value(String.valueOf(freePort())),
                frameworkProperty("org.osgi.service.http.host").value("127.0.0.1"),
                frameworkProperty("org.apache.felix.jetty.websocket.enable").value("true"),
                frameworkProperty("felix.fileinstall.dir").value(etc.toAbsolutePath().toString()),
                frameworkProperty("felix.fileinstall.poll").value("300"),
                frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                frameworkProperty("felix.cm.config.plugins").value("dev.switchboard.controller"),
                frameworkProperty("switchboard.home").value(home.toString()),
                bootDelegationPackage("com.sun.management"),
                systemProperty("org.ops4j.pax.url.mvn.localRepository").value(System.getProperty("maven.repo.local", ""))));
        return options.toArray(Option[]::new);
    }

    protected int port() {
        return Integer.parseInt(context.getProperty(PORT_PROPERTY));
    }

    protected JsonRpcClient client() {
        return new JsonRpcClient(port());
    }

    /** The folder FileInstall watches in this framework, as the launcher's etc/. */
    protected Path etc() {
        return Path.of(context.getProperty("switchboard.home"), "etc");
    }

    /**
     * Replaces a file under etc/ in one step, as an editor saving atomically does, so that the
     * folder's watchers never read half a file.
     */
    protected void writeEtc(String relative, String content) throws IOException {
        Path target = etc().resolve(relative);
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(etc().getParent(), "etc", ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Waits until the transport answers {@code callsign}, as it does once the plugin is bound. */
    protected void awaitPlugin(String callsign) throws Exception {
        JsonRpcClient client = client();
        eventually(Duration.ofSeconds(30), () -> {
            try {
                return client.call(callsign + ".1.exists", "{\"method\":\"versions\"}").json().has("result");
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** Creates or updates the configuration of the plugin {@code kind} named {@code callsign}. */
    protected void configure(String kind, String callsign, Object... keyValues) throws IOException {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("callsign", callsign);
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.put((String) keyValues[i], keyValues[i + 1]);
        }
        configAdmin.getFactoryConfiguration("dev.switchboard." + kind, callsign, "?").update(properties);
    }

    /**
     * Calls the Gogo command {@code switchboard:<function>} as a shell would, with String arguments
     * (a method taking {@code String...} takes them all).
     */
    protected String command(String function, String... arguments) throws Exception {
        ServiceReference<?>[] found = context.getServiceReferences((String) null,
                "(&(osgi.command.scope=switchboard)(osgi.command.function=" + function + "))");
        assertTrue("no command " + function, found != null && found.length == 1);
        Object commands = context.getService(found[0]);
        try {
            for (Method method : commands.getClass().getMethods()) {
                if (!method.getName().equals(function)) {
                    continue;
                }
                if (method.isVarArgs()) {
                    return (String) method.invoke(commands, (Object) arguments);
                }
                if (method.getParameterCount() == arguments.length) {
                    return (String) method.invoke(commands, (Object[]) arguments);
                }
            }
            throw new AssertionError("no method " + function + " for " + arguments.length + " arguments");
        } finally {
            context.ungetService(found[0]);
        }
    }

    protected Bundle installedBundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    protected static void eventually(Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

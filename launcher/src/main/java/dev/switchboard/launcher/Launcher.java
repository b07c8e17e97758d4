package dev.switchboard.launcher;

import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.apache.felix.main.Main;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Starts Apache Felix with etc/config.properties and keeps its bundle cache between starts: a start only
 * installs, updates or uninstalls the bundles whose jar in a bundle directory was added, changed or removed
 * (Felix's own launcher updates every bundle at every start, which costs seconds).
 */
public final class Launcher {

    /** Bundle directories by start level: {@code switchboard.bundles.<level>=<dir>}. */
    static final String BUNDLES_PREFIX = "switchboard.bundles.";
    /** A file to write the start-up profile to (see {@link StartupProfile}). */
    static final String PROFILE_PROPERTY = "switchboard.startup.profile";

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> config = Main.loadConfigProperties();
        Main.copySystemProperties(config);
        String profileFile = System.getProperty(PROFILE_PROPERTY);
        StartupProfile profile = profileFile == null ? null : new StartupProfile(Path.of(profileFile));
        if (profile != null) {
            profile.mark("main");
        }

        Path cache = Path.of(config.getOrDefault(Constants.FRAMEWORK_STORAGE, "felix-cache"));
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        Path frameworkJar = Path.of(factory.getClass().getProtectionDomain().getCodeSource().getLocation().toURI());
        BundleCache bundles = BundleCache.open(cache, frameworkJar);
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN,
                bundles.reusable() ? "none" : Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);

        Framework framework = factory.newFramework(config);
        framework.init();
        if (profile != null) {
            profile.mark("framework initialised");
            profile.listen(framework.getBundleContext());
        }
        System.out.println("Bundle cache " + cache + ": " + bundles.synchronise(framework.getBundleContext(),
                BundleCache.directories(config)));
        if (profile != null) {
            profile.mark("bundles synchronised");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework), "switchboard-shutdown"));
        framework.start();
        if (profile != null) {
            profile.mark("framework started");
        }
        FrameworkEvent stopped = framework.waitForStop(0);
        System.exit(stopped.getType() == FrameworkEvent.ERROR ? 1 : 0);
    }

    /** On SIGTERM or Ctrl-C: stops every bundle, so that each closes what it holds (database, sockets). */
    private static void stop(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
        } catch (Exception e) {
            System.err.println("switchboard: stopping the framework failed: " + e);
        }
    }
}

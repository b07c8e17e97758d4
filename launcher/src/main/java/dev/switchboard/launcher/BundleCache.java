package dev.switchboard.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * The framework's bundle cache and what it was built from: the framework jar and, per bundle location, the
 * size and modification time of its jar when it was installed or last updated (kept in
 * {@value #STATE_FILE} inside the cache, so that cleaning the cache forgets them too).
 */
final class BundleCache {

    static final String STATE_FILE = "switchboard-bundles.properties";
    private static final String FRAMEWORK_KEY = "framework";

    private final Path cacheDir;
    private final Path stateFile;
    private final String frameworkStamp;
    private final Properties state;

    private BundleCache(Path cacheDir, String frameworkStamp, Properties state) {
        this.cacheDir = cacheDir;
        this.stateFile = cacheDir.resolve(STATE_FILE);
        this.frameworkStamp = frameworkStamp;
        this.state = state;
    }

    /** Reads what the cache in {@code cacheDir} was built from; an unreadable record counts as none. */
    static BundleCache open(Path cacheDir, Path frameworkJar) throws IOException {
        Path stateFile = cacheDir.resolve(STATE_FILE);
        Properties state = new Properties();
        if (Files.isRegularFile(stateFile)) {
            try (InputStream in = Files.newInputStream(stateFile)) {
                state.load(in);
            } catch (IOException | IllegalArgumentException unreadable) {
                System.err.println("switchboard: " + stateFile + " is unreadable (" + unreadable.getMessage()
                        + "); the bundle cache is rebuilt");
                state.clear();
            }
        }
        return new BundleCache(cacheDir, stamp(frameworkJar), state);
    }

    /** Whether the cache may be kept: it was built by this launcher with this framework jar. */
    boolean reusable() {
        return frameworkStamp.equals(state.getProperty(FRAMEWORK_KEY));
    }

    /** The bundle directories of {@code switchboard.bundles.<start level>} keys, lowest start level first. */
    static Map<Integer, Path> directories(Map<String, String> config) {
        Map<Integer, Path> directories = new TreeMap<>();
        config.forEach((key, value) -> {
            if (key.startsWith(Launcher.BUNDLES_PREFIX)) {
                String level = key.substring(Launcher.BUNDLES_PREFIX.length());
                try {
                    directories.put(Integer.parseInt(level), Path.of(value));
                } catch (NumberFormatException notALevel) {
                    System.err.println("switchboard: " + key + " ignored: '" + level + "' is not a start level");
                }
            }
        });
        return directories;
    }

    /**
     * Makes the installed bundles match the jars in {@code directories}: installs new jars, updates the bundles
     * whose jar changed (size or modification time), uninstalls those whose jar is gone, and marks each to start
     * at its directory's start level. Bundles installed from elsewhere (FileInstall's deploy/) are left alone.
     * Returns what it did, for the console.
     */
    String synchronise(BundleContext context, Map<Integer, Path> directories) throws IOException {
        Map<String, Bundle> installed = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            installed.put(bundle.getLocation(), bundle);
        }
        boolean fresh = !reusable();
        Map<String, Path> jars = new LinkedHashMap<>();
        Map<String, Integer> levels = new HashMap<>();
        for (Map.Entry<Integer, Path> directory : directories.entrySet()) {
            for (Path jar : jars(directory.getValue())) {
                jars.put(jar.toUri().toString(), jar);
                levels.put(jar.toUri().toString(), directory.getKey());
            }
        }
        // first the bundles whose jar is gone, so that a jar moved elsewhere can be installed again
        int removed = 0;
        for (String location : state.stringPropertyNames()) {
            Bundle gone = installed.get(location);
            if (!location.equals(FRAMEWORK_KEY) && !jars.containsKey(location) && gone != null) {
                try {
                    gone.uninstall();
                    removed++;
                } catch (BundleException e) {
                    System.err.println("switchboard: " + location + " is not uninstalled: " + e.getMessage());
                }
            }
        }
        Properties next = new Properties();
        next.setProperty(FRAMEWORK_KEY, frameworkStamp);
        int kept = 0;
        int updated = 0;
        int added = 0;
        for (Map.Entry<String, Path> jar : jars.entrySet()) {
            String location = jar.getKey();
            String stamp = stamp(jar.getValue());
            Bundle bundle = installed.get(location);
            try {
                if (bundle == null) {
                    bundle = context.installBundle(location);
                    added++;
                } else if (!stamp.equals(state.getProperty(location))) {
                    bundle.update();
                    updated++;
                } else {
                    kept++;
                }
                bundle.adapt(BundleStartLevel.class).setStartLevel(levels.get(location));
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
                next.setProperty(location, stamp);
            } catch (BundleException | RuntimeException e) {
                // not recorded: the next start tries again
                System.err.println("switchboard: " + jar.getValue() + " is not " + (bundle == null ? "installed" : "updated")
                        + ": " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
            }
        }
        save(next);
        return fresh ? "built with " + added + " bundles"
                : kept + " bundles kept, " + updated + " updated, " + added + " installed, " + removed + " uninstalled";
    }

    private void save(Properties next) throws IOException {
        Files.createDirectories(cacheDir);
        Path temp = Files.createTempFile(cacheDir, STATE_FILE, ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            next.store(out, "jar size:modification time per bundle location, as installed in this cache");
        }
        Files.move(temp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        state.clear();
        state.putAll(next);
    }

    private static List<Path> jars(Path directory) throws IOException {
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                        .map(Path::toAbsolutePath).sorted().forEach(jars::add);
            }
        }
        return jars;
    }

    private static String stamp(Path jar) throws IOException {
        return Files.size(jar) + ":" + Files.getLastModifiedTime(jar).toMillis();
    }
}

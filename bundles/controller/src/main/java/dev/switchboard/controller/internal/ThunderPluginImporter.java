package dev.switchboard.controller.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.files.Home;
import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.api.threads.DaemonThreads;

/**
 * Imports Thunder plugin files ({@code {"callsign","classname","startmode","configuration":{...}}})
 * from {@code ${switchboard.home}/etc/plugins} into Config Admin, so a Thunder user's plugin
 * configuration carries over: classname {@code DeviceInfo} becomes factory PID
 * {@code dev.switchboard.deviceinfo}, the callsign its instance name. A changed file is imported
 * again, a deleted file's instance is deleted with it, and a file claiming a callsign that another
 * configuration holds is refused (and imported once the callsign is free).
 */
@Component(service = ThunderPluginImporter.class, immediate = true)
public class ThunderPluginImporter {

    static final String DIRECTORY_PROPERTY = "switchboard.plugins.dir";
    private static final Logger LOG = LoggerFactory.getLogger(ThunderPluginImporter.class);

    private enum Outcome { IMPORTED, SKIPPED, REFUSED }

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final PluginStates states;
    private final Path directory;
    /** Files imported or skipped as invalid, as last modified then: looked at again when changed. */
    private final Map<Path, FileTime> handled = new ConcurrentHashMap<>();
    /** Files refused their callsign, as last modified then: tried again every scan, the refusal logged once. */
    private final Map<Path, FileTime> refused = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scanner;
    private volatile boolean scanned;
    private final long patientUntil = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);

    @Activate
    public ThunderPluginImporter(BundleContext context, @Reference ConfigurationAdmin configurationAdmin,
            @Reference PluginStates states) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
        this.states = states;
        this.directory = directory(context);
        this.scanner = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("switchboard-plugin-import"));
        if (directory != null) {
            LOG.info("Importing Thunder plugin files from {}", directory);
            scanner.scheduleWithFixedDelay(this::scan, 0, 1, TimeUnit.SECONDS);
        } else {
            scanned = true;
        }
    }

    @Deactivate
    void deactivate() {
        scanner.shutdownNow();
    }

    private static Path directory(BundleContext context) {
        String configured = context.getProperty(DIRECTORY_PROPERTY);
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        String home = context.getProperty(Home.PROPERTY);
        return home == null ? null : Path.of(home, "etc", "plugins").toAbsolutePath();
    }

    /**
     * Imports new and changed files in name order, once the framework has started and the
     * {@code etc/} configurations are in Config Admin, so that a plugin file cannot take their
     * callsigns; an {@code etc/} file FileInstall cannot read holds the import back for a minute at most.
     */
    void scan() {
        if (context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).getState() != Bundle.ACTIVE
                || !states.etcFilesLoaded() && System.nanoTime() < patientUntil) {
            return;
        }
        Set<Path> present = new TreeSet<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
                files.forEach(present::add);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot scan {}: {}", directory, e.toString());
                scanned = true;
                return;
            }
        }
        removeImportsOfDeletedFiles(present);
        try {
            importAll(present);
        } finally {
            scanned = true;
        }
    }

    /** Whether the plugin files present when the framework started have been looked at. */
    boolean scanned() {
        return scanned;
    }

    private void importAll(Set<Path> present) {
        for (Path file : present) {
            try {
                FileTime modified = Files.getLastModifiedTime(file);
                if (modified.equals(handled.get(file))) {
                    continue;
                }
                if (importFile(file, !modified.equals(refused.get(file))) == Outcome.REFUSED) {
                    refused.put(file, modified);
                } else {
                    refused.remove(file);
                    handled.put(file, modified);
                }
            } catch (IOException e) {
                LOG.warn("Cannot read {}: {}", file, e.toString());
            }
        }
    }

    private void removeImportsOfDeletedFiles(Set<Path> present) {
        handled.keySet().retainAll(present);
        refused.keySet().retainAll(present);
        for (Configuration configuration : configurations("(" + ConfigurationAdmin.SERVICE_FACTORYPID + "="
                + PluginConstants.FACTORY_PID_PREFIX + "*)")) {
            Object from = configuration.getProperties().get(ConfigurationValues.IMPORTED_FROM);
            if (from != null && from.toString().startsWith(directory.toString())
                    && !present.contains(Path.of(from.toString()))) {
                delete(configuration);
                LOG.info("Plugin file {} is gone: removed the plugin {} it configured", from,
                        configuration.getProperties().get(PluginConstants.CALLSIGN));
            }
        }
    }

    /**
     * @param logRefusal whether a refusal is logged: once per version of the file, not at every scan
     */
    Outcome importFile(Path file, boolean logRefusal) {
        try {
            JsonNode plugin = ConfigurationValues.MAPPER.readTree(file.toFile());
            String callsign = plugin.path("callsign").asText("");
            String classname = plugin.path("classname").asText("");
            if (callsign.isEmpty() || classname.isEmpty() || !classname.matches("[A-Za-z0-9_]+")) {
                LOG.warn("Skipping {}: a plugin file needs a callsign and a classname of letters and digits", file);
                return Outcome.SKIPPED;
            }
            String factoryPid = PluginConstants.FACTORY_PID_PREFIX + classname.toLowerCase(Locale.ROOT);
            String pid = factoryPid + "~" + callsign; // as Config Admin names a named factory configuration
            Configuration own = importedFrom(file);
            Configuration rival = rival(callsign, file);
            if (rival != null) {
                if (logRefusal) {
                    LOG.error("Plugin file {} is refused: callsign {} is already used by {}; callsigns are unique",
                            file, LogText.quote(callsign), describe(rival));
                }
                delete(own);
                return Outcome.REFUSED;
            }
            if (own != null && !own.getPid().equals(pid)) {
                delete(own); // the file now names another classname or callsign
            }
            Configuration configuration = configurationAdmin.getFactoryConfiguration(factoryPid, callsign, "?");
            configuration.updateIfDifferent(properties(plugin, callsign, file));
            LOG.info("Imported {} as {}~{}", file.getFileName(), factoryPid, callsign);
            if (!states.providesKind(factoryPid)) {
                LOG.warn("Plugin file {}: no installed bundle provides classname {} ({}); {} stays unavailable "
                        + "(InstantiationFailed) until one does", file, classname, factoryPid, callsign);
            }
            return Outcome.IMPORTED;
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Skipping {}: {}", file, e.getMessage());
            return Outcome.SKIPPED;
        }
    }

    private static Dictionary<String, Object> properties(JsonNode plugin, String callsign, Path file) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(PluginConstants.CALLSIGN, callsign);
        properties.put(PluginConstants.STARTMODE, plugin.path("startmode").asText("Activated"));
        properties.put(ConfigurationValues.IMPORTED_FROM, file.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> own = ConfigurationValues.MAPPER.convertValue(plugin.path("configuration"), Map.class);
        if (own != null) {
            own.forEach((key, value) -> {
                Object property = ConfigurationValues.toProperty(key, value);
                if (property != null && !ConfigurationValues.isReserved(key)) {
                    properties.put(key, property);
                }
            });
        }
        return properties;
    }

    /** Another configuration that claims the callsign and is not itself refused it, or null. */
    private Configuration rival(String callsign, Path file) {
        for (Configuration configuration : configurations("(&(" + ConfigurationAdmin.SERVICE_FACTORYPID + "="
                + PluginConstants.FACTORY_PID_PREFIX + "*)(" + PluginConstants.CALLSIGN + "="
                + ConfigurationValues.filterValue(callsign) + "))")) {
            if (!file.toString().equals(configuration.getProperties().get(ConfigurationValues.IMPORTED_FROM))
                    && states.refusal(configuration.getPid()) == null) {
                return configuration;
            }
        }
        return null;
    }

    private Configuration importedFrom(Path file) {
        for (Configuration configuration : configurations("(" + ConfigurationAdmin.SERVICE_FACTORYPID + "="
                + PluginConstants.FACTORY_PID_PREFIX + "*)")) {
            if (file.toString().equals(configuration.getProperties().get(ConfigurationValues.IMPORTED_FROM))) {
                return configuration;
            }
        }
        return null;
    }

    private static String describe(Configuration configuration) {
        Dictionary<String, Object> properties = configuration.getProperties();
        return new CallsignClaims.Claim(configuration.getPid(), String.valueOf(properties.get(PluginConstants.CALLSIGN)),
                ConfigurationValues.origin(properties)).toString();
    }

    private List<Configuration> configurations(String filter) {
        try {
            Configuration[] found = configurationAdmin.listConfigurations(filter);
            return found == null ? List.of() : List.of(found);
        } catch (IOException | InvalidSyntaxException e) {
            LOG.warn("Cannot list configurations {}: {}", filter, e.toString());
            return List.of();
        }
    }

    private static void delete(Configuration configuration) {
        if (configuration == null) {
            return;
        }
        try {
            configuration.delete();
        } catch (IOException | IllegalStateException e) {
            LOG.warn("Cannot delete configuration {}: {}", configuration.getPid(), e.toString());
        }
    }
}

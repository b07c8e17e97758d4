package dev.switchboard.controller.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.api.plugin.PluginConstants;

/**
 * Imports Thunder plugin files ({@code {"callsign","classname","startmode","configuration":{...}}})
 * from {@code ${switchboard.home}/etc/plugins} into Config Admin, so a Thunder user's plugin
 * configuration carries over: classname {@code DeviceInfo} becomes factory PID
 * {@code dev.switchboard.deviceinfo}, the callsign its instance name. A changed file is imported again.
 */
@Component(immediate = true)
public class ThunderPluginImporter {

    static final String DIRECTORY_PROPERTY = "switchboard.plugins.dir";
    private static final Logger LOG = LoggerFactory.getLogger(ThunderPluginImporter.class);

    private final ConfigurationAdmin configurationAdmin;
    private final Path directory;
    private final Map<Path, FileTime> imported = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scanner;

    @Activate
    public ThunderPluginImporter(BundleContext context, @Reference ConfigurationAdmin configurationAdmin) {
        this.configurationAdmin = configurationAdmin;
        this.directory = directory(context);
        this.scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "switchboard-plugin-import");
            thread.setDaemon(true);
            return thread;
        });
        if (directory != null) {
            LOG.info("Importing Thunder plugin files from {}", directory);
            scanner.scheduleWithFixedDelay(this::scan, 0, 1, TimeUnit.SECONDS);
        }
    }

    @Deactivate
    void deactivate() {
        scanner.shutdownNow();
    }

    private static Path directory(BundleContext context) {
        String configured = context.getProperty(DIRECTORY_PROPERTY);
        if (configured != null) {
            return Path.of(configured);
        }
        String home = context.getProperty("switchboard.home");
        return home == null ? null : Path.of(home, "etc", "plugins");
    }

    void scan() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.json")) {
            for (Path file : files) {
                FileTime modified = Files.getLastModifiedTime(file);
                if (!modified.equals(imported.get(file))) {
                    imported.put(file, modified);
                    importFile(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot scan {}: {}", directory, e.toString());
        }
    }

    void importFile(Path file) {
        try {
            JsonNode plugin = ConfigurationValues.MAPPER.readTree(file.toFile());
            String callsign = plugin.path("callsign").asText("");
            String classname = plugin.path("classname").asText("");
            if (callsign.isEmpty() || classname.isEmpty() || !classname.matches("[A-Za-z0-9_]+")) {
                LOG.warn("Skipping {}: a plugin file needs a callsign and a classname of letters and digits", file);
                return;
            }
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(PluginConstants.CALLSIGN, callsign);
            properties.put(PluginConstants.STARTMODE, plugin.path("startmode").asText("Activated"));
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
            String factoryPid = PluginConstants.FACTORY_PID_PREFIX + classname.toLowerCase(Locale.ROOT);
            Configuration configuration = configurationAdmin.getFactoryConfiguration(factoryPid, callsign, "?");
            configuration.updateIfDifferent(properties);
            LOG.info("Imported {} as {}~{}", file.getFileName(), factoryPid, callsign);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Skipping {}: {}", file, e.getMessage());
        }
    }
}

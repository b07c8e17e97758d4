package dev.switchboard.controller.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.LogText;
import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.PluginConstants;

/**
 * Thunder's {@code clone} and {@code destroy}: a clone is a new factory configuration of the same kind,
 * named by its callsign, holding the original's configuration and a private mark naming the original;
 * only a clone can be destroyed, so that a call cannot remove an instance an operator configured.
 */
final class Clones {

    /** Private (leading dot): Config Admin stores it, the plugin does not see it. */
    static final String CLONED_FROM = ".switchboard.clonedFrom";
    private static final Logger LOG = LoggerFactory.getLogger(Clones.class);

    private final ConfigurationAdmin configurationAdmin;
    private final PluginStates states;
    private final ConfigurationFiles files;

    Clones(ConfigurationAdmin configurationAdmin, PluginStates states, ConfigurationFiles files) {
        this.configurationAdmin = configurationAdmin;
        this.states = states;
        this.files = files;
    }

    String cloneOf(String callsign, String newCallsign) {
        requireGiven(callsign);
        requireCallsign("newcallsign", newCallsign);
        if (PluginConstants.CONTROLLER.equals(callsign) || PluginConstants.CONTROLLER.equals(newCallsign)) {
            throw new JsonRpcException(ErrorCode.NOT_ALLOWED, "the Controller is not cloned");
        }
        Configuration original = states.requireConfigured(callsign);
        if (isTaken(newCallsign)) {
            throw new JsonRpcException(ErrorCode.DUPLICATE_KEY.code(), ErrorCode.DUPLICATE_KEY.message(),
                    "callsign " + newCallsign + " is taken");
        }
        Dictionary<String, Object> properties = new Hashtable<>();
        Dictionary<String, Object> source = original.getProperties();
        for (String key : Collections.list(source.keys())) {
            if (!ConfigurationValues.isReserved(key) || key.equals(PluginConstants.STARTMODE)) {
                properties.put(key, source.get(key));
            }
        }
        properties.put(PluginConstants.CALLSIGN, newCallsign);
        properties.put(CLONED_FROM, callsign);
        try {
            Configuration clone = configurationAdmin.getFactoryConfiguration(original.getFactoryPid(), newCallsign, "?");
            if (clone.getProperties() != null) {
                throw new JsonRpcException(ErrorCode.DUPLICATE_KEY.code(), ErrorCode.DUPLICATE_KEY.message(),
                        "configuration " + clone.getPid() + " exists");
            }
            clone.update(properties);
            LOG.info("Plugin {} cloned as {} ({})", callsign, LogText.quote(newCallsign), clone.getPid());
        } catch (IOException e) {
            throw new JsonRpcException(ErrorCode.GENERAL.code(), ErrorCode.GENERAL.message(),
                    "cannot store the configuration: " + e.getMessage());
        }
        return newCallsign;
    }

    void destroy(String callsign) {
        requireGiven(callsign);
        if (PluginConstants.CONTROLLER.equals(callsign)) {
            throw new JsonRpcException(ErrorCode.NOT_ALLOWED, "the Controller is not destroyed");
        }
        Configuration configuration = states.requireConfigured(callsign);
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null || properties.get(CLONED_FROM) == null) {
            throw new JsonRpcException(ErrorCode.NOT_ALLOWED, callsign + " is not a clone; only clones are destroyed");
        }
        Object file = properties.get(ConfigurationValues.FILEINSTALL_FILENAME);
        Path persisted = files.fileOf(configuration);
        try {
            configuration.delete();
            // else FileInstall would bring the clone back from its file
            if (file != null) {
                Files.deleteIfExists(Path.of(URI.create(String.valueOf(file))));
            }
            if (persisted != null) {
                Files.deleteIfExists(persisted);
            }
            LOG.info("Clone {} destroyed", callsign);
        } catch (IOException | IllegalArgumentException e) {
            throw new JsonRpcException(ErrorCode.GENERAL.code(), ErrorCode.GENERAL.message(),
                    "cannot remove the configuration of " + callsign + ": " + e.getMessage());
        }
    }

    /** Whether any configuration, holding it or refused it, names this callsign. */
    private boolean isTaken(String callsign) {
        try {
            return configurationAdmin.listConfigurations(
                    "(" + PluginConstants.CALLSIGN + "=" + ConfigurationValues.filterValue(callsign) + ")") != null;
        } catch (IOException | InvalidSyntaxException e) {
            throw new JsonRpcException(ErrorCode.GENERAL.code(), ErrorCode.GENERAL.message(), e.getMessage());
        }
    }

    private static void requireGiven(String callsign) {
        if (callsign == null || callsign.isEmpty()) {
            throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, "callsign is required");
        }
    }

    /** A callsign as Thunder writes them: letters, digits, '_' and '-'. */
    static void requireCallsign(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS, name + " is required");
        }
        if (value.length() > 64 || !value.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-'))) {
            throw new JsonRpcException(ErrorCode.INVALID_PARAMETERS,
                    name + " may hold up to 64 letters, digits, '_' and '-'");
        }
    }
}

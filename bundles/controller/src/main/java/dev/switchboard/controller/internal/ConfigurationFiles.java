package dev.switchboard.controller.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.files.SecureFiles;
import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;

/**
 * Thunder's {@code persist} ({@code storeconfig}): writes the running configuration of every plugin instance
 * to the folder FileInstall reads at start ({@code etc/}, {@code <factoryPid>-<name>.cfg}), so that it survives
 * a restart even without Config Admin's own store, and an operator sees it where the others are. A
 * configuration read from a file is already written back to it by FileInstall ({@code enableConfigSave}),
 * and one imported from a Thunder plugin file stays in that file: both are left as they are.
 */
final class ConfigurationFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationFiles.class);

    private final ConfigurationAdmin configurationAdmin;
    private final Path folder;

    /** @param folder FileInstall's folder, or null when FileInstall watches none */
    ConfigurationFiles(ConfigurationAdmin configurationAdmin, Path folder) {
        this.configurationAdmin = configurationAdmin;
        this.folder = folder;
    }

    void persist() {
        if (folder == null) {
            throw new JsonRpcException(ErrorCode.GENERAL.code(), ErrorCode.GENERAL.message(),
                    "no configuration folder (felix.fileinstall.dir) to write to");
        }
        List<Path> written = new ArrayList<>();
        for (Configuration configuration : pluginConfigurations()) {
            Dictionary<String, Object> properties = configuration.getProperties();
            if (properties == null || properties.get(ConfigurationValues.IMPORTED_FROM) != null
                    || properties.get(ConfigurationValues.FILEINSTALL_FILENAME) != null) {
                continue;
            }
            Path file = fileOf(configuration);
            try {
                SecureFiles.writePrivate(file, format(properties).getBytes(StandardCharsets.ISO_8859_1));
                written.add(file);
            } catch (IOException e) {
                throw new JsonRpcException(ErrorCode.GENERAL.code(), ErrorCode.GENERAL.message(),
                        "cannot write " + file + ": " + e.getMessage());
            }
        }
        LOG.info("Configuration of {} plugins written to {}: {}", written.size(), folder, written);
    }

    /**
     * The file FileInstall binds to the configuration's PID ({@code <factoryPid>~<name>}), where {@link #persist()}
     * writes it; FileInstall does not name it in the configuration while their contents are equal. Null
     * without a folder.
     */
    Path fileOf(Configuration configuration) {
        if (folder == null) {
            return null;
        }
        String pid = configuration.getPid();
        String name = pid.substring(pid.indexOf('~') + 1);
        return folder.resolve(configuration.getFactoryPid() + "-" + name + ".cfg");
    }

    private List<Configuration> pluginConfigurations() {
        try {
            Configuration[] found = configurationAdmin.listConfigurations(
                    "(" + ConfigurationAdmin.SERVICE_FACTORYPID + "=dev.switchboard.*)");
            return found == null ? List.of() : List.of(found);
        } catch (IOException | InvalidSyntaxException e) {
            throw new JsonRpcException(ErrorCode.GENERAL.code(), ErrorCode.GENERAL.message(), e.getMessage());
        }
    }

    /**
     * {@code key = value} lines as FileInstall reads {@code .cfg} files (java.util.Properties escapes,
     * ISO-8859-1 with {@code \\uXXXX} beyond it); a list is written comma-separated, as the plugins read
     * lists. Framework properties are left out: FileInstall and Config Admin add their own.
     */
    static String format(Dictionary<String, Object> properties) {
        List<String> keys = new ArrayList<>(Collections.list(properties.keys()));
        Collections.sort(keys);
        StringBuilder text = new StringBuilder();
        for (String key : keys) {
            if (key.startsWith("service.") || key.startsWith("felix.fileinstall.") || key.startsWith("component.")) {
                continue;
            }
            Object value = properties.get(key);
            String written = value instanceof Object[] array
                    ? String.join(",", java.util.Arrays.stream(array).map(String::valueOf).toList())
                    : String.valueOf(value);
            text.append(escape(key, true)).append(" = ").append(escape(written, false)).append('\n');
        }
        return text.toString();
    }

    private static String escape(String text, boolean key) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case ' ' -> out.append(key || i == 0 ? "\\ " : " ");
                case '=', ':', '#', '!' -> out.append(key || i == 0 ? "\\" + c : String.valueOf(c));
                default -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.toString();
    }
}

package dev.switchboard.adapter.openvpn.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.adapter.openvpn.internal.process.ManagementSocket;
import dev.switchboard.api.config.AcceptedValues;
import dev.switchboard.api.config.Settings;

/**
 * The agent adapter's configuration ({@link OpenVpnAgentPlugin.Config} is its metatype), read fail-closed:
 * a bad value keeps the one accepted before, else the default.
 */
record AgentSettings(String callsign, String product, String credential, Mode mode, String listenAddress, int port,
        Protocol proto, String advertisedHost, String network, String managementSocket, String caFile,
        String tlsCryptFile, String openvpn, String openssl, String dataDir, long reportSeconds) {

    static final String PID = "dev.switchboard.openvpnagent";
    static final int PORT = 1194;
    static final String NETWORK = "10.8.0.0/24";
    static final String DATA_DIR = "data/openvpn";
    static final long REPORT_SECONDS = 5;
    static final String REPORT_SECONDS_MIN = "1";
    static final String REPORT_SECONDS_MAX = "3600";

    /** Who runs OpenVPN. */
    enum Mode {
        /** The adapter writes its configuration and keys, starts it and keeps it running. */
        MANAGED,
        /** The operator runs it; the adapter attaches to its management socket. */
        ATTACH
    }

    enum Protocol {
        UDP, TCP
    }

    private static final Logger LOG = LoggerFactory.getLogger(AgentSettings.class);
    /** An adapter is activated anew on each change of its configuration: what the last one accepted. */
    private static final AcceptedValues ACCEPTED = new AcceptedValues();

    /** Reads {@code properties}, logging every value refused (ERROR) and every unknown key (WARN). */
    static AgentSettings read(Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        Settings settings = new Settings(pid == null ? PID : String.valueOf(pid), properties, ACCEPTED);
        String callsign = settings.text("callsign", "OpenVpn");
        AgentSettings read = new AgentSettings(callsign,
                settings.text("product", null),
                settings.text("credential", null),
                settings.choice("mode", Mode.class, Mode.MANAGED),
                optional(settings, properties, "listenAddress"),
                settings.integer("port", "1", "65535", PORT),
                settings.choice("proto", Protocol.class, Protocol.UDP),
                optional(settings, properties, "advertisedHost"),
                settings.text("network", NETWORK),
                optional(settings, properties, "managementSocket"),
                optional(settings, properties, "caFile"),
                optional(settings, properties, "tlsCryptFile"),
                settings.text("openvpn", "openvpn"),
                settings.text("openssl", "openssl"),
                settings.text("dataDir", DATA_DIR),
                settings.longInteger("reportSeconds", REPORT_SECONDS_MIN, REPORT_SECONDS_MAX, REPORT_SECONDS));
        settings.rejections().forEach(LOG::error);
        settings.unknownKeyWarnings(OpenVpnAgentPlugin.Config.class).forEach(LOG::warn);
        return read;
    }

    /** An empty value is the documented way to say "derive it". */
    private static String optional(Settings settings, Map<String, ?> properties, String key) {
        Object value = properties.get(key);
        return value == null || String.valueOf(value).isBlank() ? "" : settings.text(key, "");
    }

    /** Where managed mode keeps this instance's configuration, keys and log. */
    Path instanceDir() {
        return Path.of(dataDir, callsign.replaceAll("[^A-Za-z0-9._-]", "_")).toAbsolutePath();
    }

    Path socket() throws IOException {
        return managementSocket.isEmpty() ? ManagementSocket.of(instanceDir()) : Path.of(managementSocket).toAbsolutePath();
    }

    /** A value the adapter cannot work without: without it, activation fails. */
    static String required(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is required");
        }
        return value.trim();
    }
}

package dev.switchboard.adapter.openvpn.client.internal;

import java.nio.file.Path;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.switchboard.api.config.AcceptedValues;
import dev.switchboard.api.config.Settings;

/** The client adapter's configuration ({@link OpenVpnClientPlugin.Config} is its metatype), read fail-closed. */
record ClientSettings(String callsign, String clientKey, String password, String openvpn, String dataDir,
        long reportSeconds) {

    static final String PID = "dev.switchboard.openvpnclient";
    static final String DATA_DIR = "data/openvpn-client";
    static final long REPORT_SECONDS = 5;
    static final String REPORT_SECONDS_MIN = "1";
    static final String REPORT_SECONDS_MAX = "3600";

    private static final Logger LOG = LoggerFactory.getLogger(ClientSettings.class);
    private static final AcceptedValues ACCEPTED = new AcceptedValues();

    /** Reads {@code properties}, logging every value refused (ERROR) and every unknown key (WARN). */
    static ClientSettings read(Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        Settings settings = new Settings(pid == null ? PID : String.valueOf(pid), properties, ACCEPTED);
        ClientSettings read = new ClientSettings(
                settings.text("callsign", "OpenVpnClient"),
                settings.text("clientKey", null),
                settings.text("password", null),
                settings.text("openvpn", "openvpn"),
                settings.text("dataDir", DATA_DIR),
                settings.longInteger("reportSeconds", REPORT_SECONDS_MIN, REPORT_SECONDS_MAX, REPORT_SECONDS));
        settings.rejections().forEach(LOG::error);
        settings.unknownKeyWarnings(OpenVpnClientPlugin.Config.class).forEach(LOG::warn);
        return read;
    }

    Path instanceDir() {
        return Path.of(dataDir, callsign.replaceAll("[^A-Za-z0-9._-]", "_")).toAbsolutePath();
    }

    static String required(String value, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is required");
        }
        return value.trim();
    }
}

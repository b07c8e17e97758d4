package dev.switchboard.adapter.socks.client.internal;

import java.util.Map;

import dev.switchboard.socks.relay.AdapterConfig;
import dev.switchboard.api.config.Settings;

/** The client adapter's configuration ({@link SocksClientPlugin.Config} is its metatype), read fail-closed. */
record ClientSettings(String callsign, String clientKey, String password, int port, long reportSeconds,
        long handshakeTimeoutMillis, int connectTimeoutMillis) {

    static final String PID = "dev.switchboard.socksclient";
    static final int PORT = 1081;

    /** Reads {@code properties}, logging every value refused and every unknown key. */
    static ClientSettings read(Map<String, ?> properties) {
        return AdapterConfig.read(properties, PID, SocksClientPlugin.Config.class, ClientSettings::of);
    }

    static ClientSettings of(Settings settings) {
        return new ClientSettings(
                settings.text("callsign", PID),
                settings.text("clientKey", null),
                settings.text("password", null),
                settings.integer("port", AdapterConfig.PORT_MIN, AdapterConfig.PORT_MAX, PORT),
                settings.longInteger("reportSeconds", AdapterConfig.REPORT_SECONDS_MIN,
                        AdapterConfig.REPORT_SECONDS_MAX, AdapterConfig.REPORT_SECONDS),
                settings.longInteger("handshakeTimeoutMillis", AdapterConfig.TIMEOUT_MILLIS_MIN,
                        AdapterConfig.TIMEOUT_MILLIS_MAX, AdapterConfig.TIMEOUT_MILLIS),
                settings.integer("connectTimeoutMillis", AdapterConfig.TIMEOUT_MILLIS_MIN,
                        AdapterConfig.TIMEOUT_MILLIS_MAX, AdapterConfig.TIMEOUT_MILLIS));
    }
}

package dev.switchboard.adapter.socks.internal;

import java.util.Map;

import dev.switchboard.socks.relay.AdapterConfig;
import dev.switchboard.api.config.Settings;

/**
 * The agent adapter's configuration ({@link SocksAgentPlugin.Config} is its metatype), read fail-closed:
 * a bad value keeps the default, so {@code allowPrivateTargets = maybe} leaves private targets refused.
 */
record AgentSettings(String callsign, String product, String credential, String listenAddress, int port,
        String advertisedHost, long reportSeconds, long handshakeTimeoutMillis, int connectTimeoutMillis,
        boolean allowPrivateTargets) {

    static final String PID = "dev.switchboard.socksagent";
    static final String LISTEN_ADDRESS = "0.0.0.0";
    static final int PORT = 1080;

    /** Reads {@code properties}, logging every value refused and every unknown key. */
    static AgentSettings read(Map<String, ?> properties) {
        return AdapterConfig.read(properties, PID, SocksAgentPlugin.Config.class, s -> of(s, properties));
    }

    static AgentSettings of(Settings settings, Map<String, ?> properties) {
        // an empty advertisedHost is the documented way to say "derive it"
        Object advertised = properties.get("advertisedHost");
        return new AgentSettings(
                settings.text("callsign", PID),
                settings.text("product", null),
                settings.text("credential", null),
                settings.text("listenAddress", LISTEN_ADDRESS),
                settings.integer("port", AdapterConfig.PORT_MIN, AdapterConfig.PORT_MAX, PORT),
                advertised == null || String.valueOf(advertised).isBlank() ? "" : settings.text("advertisedHost", ""),
                settings.longInteger("reportSeconds", AdapterConfig.REPORT_SECONDS_MIN,
                        AdapterConfig.REPORT_SECONDS_MAX, AdapterConfig.REPORT_SECONDS),
                settings.longInteger("handshakeTimeoutMillis", AdapterConfig.TIMEOUT_MILLIS_MIN,
                        AdapterConfig.TIMEOUT_MILLIS_MAX, AdapterConfig.TIMEOUT_MILLIS),
                settings.integer("connectTimeoutMillis", AdapterConfig.TIMEOUT_MILLIS_MIN,
                        AdapterConfig.TIMEOUT_MILLIS_MAX, AdapterConfig.TIMEOUT_MILLIS),
                settings.flag("allowPrivateTargets", false));
    }
}

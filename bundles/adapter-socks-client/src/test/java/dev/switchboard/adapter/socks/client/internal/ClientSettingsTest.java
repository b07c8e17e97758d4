package dev.switchboard.adapter.socks.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.api.config.Settings;

/** Each kind of mistake in the client adapter's configuration keeps the default and names key and value. */
class ClientSettingsTest {

    static final ClientSettings DEFAULTS = new ClientSettings("SocksClient", "key", "secret", 1081, 5, 10_000, 10_000);

    Settings settings;

    ClientSettings read(Map<String, Object> changes) {
        Map<String, Object> properties = new HashMap<>(Map.of("callsign", "SocksClient", "clientKey", "key",
                "password", "secret"));
        properties.putAll(changes);
        settings = new Settings("dev.switchboard.socksclient~SocksClient", properties);
        return ClientSettings.of(settings);
    }

    @Test
    void goodValuesAndTheDefaults() {
        assertThat(read(Map.of())).isEqualTo(DEFAULTS);
        assertThat(read(Map.of("port", "0", "reportSeconds", 1, "handshakeTimeoutMillis", 3_600_000L,
                "connectTimeoutMillis", "1"))).isEqualTo(new ClientSettings("SocksClient", "key", "secret", 0, 1,
                        3_600_000, 1));
        assertThat(settings.rejections()).isEmpty();
        assertThat(settings.unknownKeyWarnings(SocksClientPlugin.Config.class)).isEmpty();
    }

    @Test
    void aWrongTypeKeepsTheDefault() {
        assertThat(read(Map.of("port", "localhost", "connectTimeoutMillis", 2.5))).isEqualTo(DEFAULTS);
        assertThat(settings.rejections()).hasSize(2).anySatisfy(line -> assertThat(line)
                .contains("dev.switchboard.socksclient~SocksClient", "port", "\"localhost\"", "keeping 1081"));
    }

    @Test
    void outOfRangeKeepsTheDefault() {
        assertThat(read(Map.of("port", -1, "reportSeconds", 86_401, "handshakeTimeoutMillis", 0)))
                .isEqualTo(DEFAULTS);
        assertThat(settings.rejections()).hasSize(3).anySatisfy(line -> assertThat(line)
                .contains("reportSeconds", "86401", "outside 1..86400", "keeping 5"));
    }

    @Test
    void anEmptyValueKeepsTheDefault() {
        assertThat(read(Map.of("reportSeconds", ""))).isEqualTo(DEFAULTS);
        assertThat(settings.rejections()).singleElement().asString().contains("reportSeconds", "is empty");
        assertThat(read(Map.of("clientKey", " ")).clientKey()).as("activation fails on it").isNull();
    }

    @Test
    void anUnknownKeyIsNamed() {
        read(Map.of("reportSecond", 1, "component.name", "x"));
        assertThat(settings.unknownKeyWarnings(SocksClientPlugin.Config.class)).singleElement().asString()
                .contains("unknown key \"reportSecond\"");
    }
}

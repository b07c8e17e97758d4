package dev.switchboard.adapter.socks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.api.config.Settings;

/** Each kind of mistake in the agent adapter's configuration keeps the default and names key and value. */
class AgentSettingsTest {

    static final Map<String, Object> GOOD = Map.of("callsign", "SocksProxy", "product", "p", "credential", "c");

    Settings settings;

    AgentSettings read(Map<String, Object> changes) {
        Map<String, Object> properties = new HashMap<>(GOOD);
        properties.putAll(changes);
        settings = new Settings("dev.switchboard.socksagent~SocksProxy", properties);
        return AgentSettings.of(settings, properties);
    }

    @Test
    void goodValuesAreTakenAsTheyAreGiven() {
        AgentSettings read = read(Map.of("port", "2080", "reportSeconds", 7L, "handshakeTimeoutMillis", 500,
                "connectTimeoutMillis", "3000", "allowPrivateTargets", "TRUE", "listenAddress", "127.0.0.1",
                "advertisedHost", "proxy.example"));
        assertThat(read).isEqualTo(new AgentSettings("SocksProxy", "p", "c", "127.0.0.1", 2080, "proxy.example", 7,
                500, 3000, true));
        assertThat(settings.rejections()).isEmpty();
        assertThat(settings.unknownKeyWarnings(SocksAgentPlugin.Config.class)).isEmpty();
    }

    @Test
    void theDefaultsAreTheMetatypes() {
        assertThat(read(Map.of())).isEqualTo(new AgentSettings("SocksProxy", "p", "c", "0.0.0.0", 1080, "", 5,
                10_000, 10_000, false));
        assertThat(read(Map.of("advertisedHost", "")).advertisedHost()).as("empty: derived").isEmpty();
        assertThat(settings.rejections()).isEmpty();
    }

    @Test
    void aWrongTypeKeepsTheDefault() {
        AgentSettings read = read(Map.of("allowPrivateTargets", "maybe", "port", "http", "reportSeconds", 1.5));
        assertThat(read.allowPrivateTargets()).isFalse();
        assertThat(read.port()).isEqualTo(1080);
        assertThat(read.reportSeconds()).isEqualTo(5);
        assertThat(settings.rejections()).hasSize(3).anySatisfy(line -> assertThat(line)
                .contains("dev.switchboard.socksagent~SocksProxy", "allowPrivateTargets", "\"maybe\"", "keeping false"));
    }

    @Test
    void outOfRangeKeepsTheDefault() {
        AgentSettings read = read(Map.of("port", 70_000, "reportSeconds", 0, "handshakeTimeoutMillis", -5,
                "connectTimeoutMillis", 3_600_001L));
        assertThat(settings.rejections()).hasSize(4).anySatisfy(line -> assertThat(line)
                .contains("handshakeTimeoutMillis", "-5", "outside 1..3600000", "keeping 10000"));
        assertThat(read).isEqualTo(read(Map.of()));
    }

    @Test
    void anEmptyValueKeepsTheDefault() {
        AgentSettings read = read(Map.of("listenAddress", " ", "port", "", "allowPrivateTargets", ""));
        assertThat(read.listenAddress()).isEqualTo("0.0.0.0");
        assertThat(read.port()).isEqualTo(1080);
        assertThat(read.allowPrivateTargets()).isFalse();
        assertThat(settings.rejections()).hasSize(3);
        assertThat(read(Map.of("product", "")).product()).as("activation fails on it").isNull();
        assertThat(settings.rejections()).singleElement().asString().contains("product", "is empty");
    }

    @Test
    void anUnknownKeyIsNamed() {
        read(Map.of("allowPrivateTarget", true, "service.pid", "dev.switchboard.socksagent~SocksProxy",
                "felix.fileinstall.filename", "file:/etc/x.cfg"));
        assertThat(settings.unknownKeyWarnings(SocksAgentPlugin.Config.class)).singleElement().asString()
                .contains("unknown key \"allowPrivateTarget\"");
    }
}

package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.rpc.metrics.MethodMetrics;

class PluginCommandsTest {

    @Test
    void valuesAreTypedAsAnEtcFileWouldGiveThem() {
        assertThat(PluginCommands.typed("true")).isEqualTo(true);
        assertThat(PluginCommands.typed("FALSE")).isEqualTo(false);
        assertThat(PluginCommands.typed("42")).isEqualTo(42L);
        assertThat(PluginCommands.typed("-7")).isEqualTo(-7L);
        assertThat(PluginCommands.typed("4.5")).isEqualTo("4.5");
        assertThat(PluginCommands.typed("hello")).isEqualTo("hello");
        assertThat(PluginCommands.typed("99999999999999999999")).isEqualTo("99999999999999999999");
    }

    @Test
    void metricsViewInMilliseconds() {
        MethodMetrics raw = new MethodMetrics("DeviceInfo", "versions", 4, 1, Map.of(-32602, 1L), 6_000, 3_500,
                List.of(2L, 0L, 1L, 1L));
        JController.MethodMetrics view = ControllerPlugin.view(raw, List.of(500L, 1_000L, 2_500L));
        assertThat(view.errorcodes()).containsExactly(Map.entry("-32602", 1L));
        assertThat(view.latency().count()).isEqualTo(4);
        assertThat(view.latency().summs()).isEqualTo(6.0);
        assertThat(view.latency().averagems()).isEqualTo(1.5);
        assertThat(view.latency().maxms()).isEqualTo(3.5);
        assertThat(view.latency().buckets()).containsExactly(Map.entry("0.5", 2L), Map.entry("2.5", 1L),
                Map.entry("+Inf", 1L));
    }
}

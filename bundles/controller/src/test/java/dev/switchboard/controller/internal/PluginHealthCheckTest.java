package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;

class PluginHealthCheckTest {

    private static JController.PluginStatus plugin(String callsign, String state, String reason, String startmode) {
        return new JController.PluginStatus(callsign, null, "x", state, reason, null, startmode, List.of(), Map.of());
    }

    private static Result.Status status(JController.PluginStatus... plugins) {
        return new Result(PluginHealthCheck.evaluate(List.of(plugins))).getStatus();
    }

    @Test
    void okWhenEveryPluginThatShouldRunRuns() {
        assertThat(status()).isEqualTo(Result.Status.OK);
        assertThat(status(plugin("A", "Activated", "Startup", "Activated"),
                plugin("B", "Deactivated", "Startup", "Deactivated"),
                plugin("C", "Unavailable", "Startup", "Unavailable"))).isEqualTo(Result.Status.OK);
    }

    @Test
    void criticalWhenActivationFailed() {
        Result result = new Result(PluginHealthCheck.evaluate(List.of(plugin("A", "Activated", "Startup", "Activated"),
                plugin("Broken", "Deactivated", "InitializationFailed", "Activated"))));
        assertThat(result.getStatus()).isEqualTo(Result.Status.CRITICAL);
        assertThat(result.toString()).contains("Broken failed to activate");
    }

    @Test
    void warnWhenAPluginThatShouldRunIsOtherwiseDown() {
        assertThat(status(plugin("A", "Precondition", "Startup", "Activated"))).isEqualTo(Result.Status.WARN);
        assertThat(status(plugin("A", "Deactivated", "Requested", "Activated"))).isEqualTo(Result.Status.WARN);
        assertThat(status(plugin("A", "Deactivated", "Requested", "Activated"),
                plugin("B", "Deactivated", "InitializationFailed", "Activated"))).isEqualTo(Result.Status.CRITICAL);
    }
}

package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StartupReportTest {

    private static JController.PluginStatus plugin(String callsign, String state, String reason, String detail,
            String startmode) {
        return new JController.PluginStatus(callsign, "dev.switchboard.x", "X", state, reason, detail, startmode,
                List.of(), Map.of());
    }

    /** A plugin whose kind no installed bundle provides: it has no locator. */
    private static JController.PluginStatus unknownKind(String callsign, String detail) {
        return new JController.PluginStatus(callsign, null, "ghost", "Unavailable", "InstantiationFailed", detail,
                "Activated", List.of(), Map.of());
    }

    private static final JController.PluginStatus RUNNING = plugin("DeviceInfo", "Activated", "Startup", null, "Activated");
    private static final JController.PluginStatus OFF = plugin("Spare", "Deactivated", "Startup", null, "Deactivated");

    @Test
    void readyOnceEveryPluginReachedItsStartState() {
        assertThat(StartupReport.readyLine(List.of(RUNNING, OFF), false, false, 4230))
                .isEqualTo("Switchboard ready in 4.2 s: 1 of 2 plugins activated");
    }

    @Test
    void notReadyWhileAPluginThatShouldRunWaits() {
        JController.PluginStatus waiting = plugin("Sessions", "Precondition", "Startup", "waiting for dataSource",
                "Activated");
        assertThat(StartupReport.readyLine(List.of(RUNNING, waiting), true, false, 1000)).isNull();
        assertThat(StartupReport.readyLine(List.of(RUNNING, waiting), true, true, 121000))
                .endsWith("; still not running after 120 s: Sessions (Precondition: waiting for dataSource)");
    }

    @Test
    void namesEachPluginThatFailedAndWhy() {
        JController.PluginStatus broken = plugin("Broken", "Deactivated", "InitializationFailed",
                "java.lang.IllegalStateException: boom", "Activated");
        JController.PluginStatus twin = plugin("DeviceInfo", "Unavailable", "InstantiationFailed",
                "callsign DeviceInfo is held by dev.switchboard.deviceinfo~DeviceInfo", "Activated");
        assertThat(StartupReport.readyLine(List.of(RUNNING, broken, twin), false, false, 5000))
                .isEqualTo("Switchboard ready in 5.0 s: 1 of 3 plugins activated; failed: "
                        + "Broken (InitializationFailed: java.lang.IllegalStateException: boom), "
                        + "DeviceInfo (InstantiationFailed: callsign DeviceInfo is held by dev.switchboard.deviceinfo~DeviceInfo)");
    }

    @Test
    void anUnknownClassnameFailsOnlyOnceBundlesFromDeployHadTheirChance() {
        JController.PluginStatus ghost = unknownKind("Ghost", "no installed bundle provides plugin kind dev.switchboard.ghost");
        assertThat(StartupReport.readyLine(List.of(RUNNING, ghost), false, false, 2000)).isNull();
        assertThat(StartupReport.readyLine(List.of(RUNNING, ghost), true, false, 6000))
                .contains("failed: Ghost (InstantiationFailed: no installed bundle provides plugin kind dev.switchboard.ghost)");
    }
}

package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.api.config.Settings;
import dev.switchboard.api.plugin.StartMode;

/** How a plugin configuration's startmode is read: a mistake leaves the plugin off and says so. */
class StartModeTest {

    private static final String PID = "dev.switchboard.deviceinfo~DeviceInfo";

    private static Settings read(Map<String, Object> properties, StartMode expected) {
        Settings settings = new Settings(PID, properties);
        assertThat(StartModeConditions.startMode(properties, settings)).isEqualTo(expected);
        return settings;
    }

    @Test
    void aStartModeIsReadIgnoringCaseAndAMissingOneIsActivated() {
        assertThat(read(Map.of(), StartMode.Activated).rejections()).isEmpty();
        assertThat(read(Map.of("startmode", "unavailable"), StartMode.Unavailable).rejections()).isEmpty();
        assertThat(read(Map.of("startmode", "Deactivated"), StartMode.Deactivated).rejections()).isEmpty();
    }

    @Test
    void anUnknownStartModeKeepsThePluginDeactivatedWithOneLineNamingKeyAndValue() {
        assertThat(read(Map.of("startmode", "Sometimes"), StartMode.Deactivated).rejections())
                .singleElement().asString().contains(PID, "startmode", "\"Sometimes\"", "Deactivated");
    }

    @Test
    void anEmptyStartModeKeepsThePluginDeactivated() {
        assertThat(read(Map.of("startmode", " "), StartMode.Deactivated).rejections())
                .singleElement().asString().contains("startmode", "Deactivated");
    }

    @Test
    void aStartModeOfTheWrongTypeKeepsThePluginDeactivated() {
        assertThat(read(Map.of("startmode", 1L), StartMode.Deactivated).rejections())
                .singleElement().asString().contains("startmode", "\"1\"");
        assertThat(read(Map.of("startmode", Boolean.TRUE), StartMode.Deactivated).rejections()).hasSize(1);
    }

    @Test
    void aControlCharacterInAStartModeCannotForgeALogLine() {
        assertThat(read(Map.of("startmode", "x\nERROR forged"), StartMode.Deactivated).rejections())
                .singleElement().asString().doesNotContain("\n").contains("\\n");
    }

    @Test
    void anUnknownKeyOfTheControllerIsNamed() {
        assertThat(new Settings(PID, Map.of("callsign", "Controller", "startmod", "Activated"))
                .unknownKeyWarnings(ControllerPlugin.Config.class))
                .singleElement().asString().contains("\"startmod\"");
        assertThat(new Settings(PID, Map.of("callsign", "Controller", "startmode", "Activated",
                ConfigurationValues.IMPORTED_FROM, "/etc/plugins/c.json"))
                .unknownKeyWarnings(ControllerPlugin.Config.class)).isEmpty();
    }
}

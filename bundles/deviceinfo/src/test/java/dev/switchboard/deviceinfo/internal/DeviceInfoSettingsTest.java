package dev.switchboard.deviceinfo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.api.config.Settings;

/** DeviceInfo takes no setting of its own: a misspelt or foreign key is named, the known ones are not. */
class DeviceInfoSettingsTest {

    @Test
    void anUnknownKeyIsNamedOnceAndTheDeclaredOnesAreNot() {
        Settings settings = new Settings("dev.switchboard.deviceinfo~Box", Map.of("callsign", "Box",
                "startmode", "Activated", "felix.fileinstall.filename", "file:/etc/x.cfg", "refresh", "5"));
        assertThat(settings.unknownKeyWarnings(DeviceInfoPlugin.Config.class))
                .singleElement().asString().contains("dev.switchboard.deviceinfo~Box", "\"refresh\"");
    }
}

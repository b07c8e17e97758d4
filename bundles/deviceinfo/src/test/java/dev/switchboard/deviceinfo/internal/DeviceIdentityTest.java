package dev.switchboard.deviceinfo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceIdentityTest {

    @TempDir
    Path dmi;

    @Test
    void whatTheFirmwareReportsIsTakenAndPlaceholdersOrMissingFieldsAreLeftOut() throws Exception {
        Files.writeString(dmi.resolve("sys_vendor"), "Example Computers Ltd\n");
        Files.writeString(dmi.resolve("product_name"), "To Be Filled By O.E.M.\n");
        Files.writeString(dmi.resolve("product_serial"), "SN\u0007forged\n");

        assertThat(new DeviceIdentity(dmi).read("host1", "Linux"))
                .isEqualTo(new JDeviceInfo.Identity("host1", "Example Computers Ltd", null, "Linux", null));
    }

    @Test
    void aHostWithoutDmiTellsOnlyItsNameAndSystem() {
        assertThat(new DeviceIdentity(dmi.resolve("absent")).read("host1", "Linux"))
                .isEqualTo(new JDeviceInfo.Identity("host1", null, null, "Linux", null));
    }
}

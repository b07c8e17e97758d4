package dev.switchboard.deviceinfo.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Thunder's {@code deviceinfo}, from what a server knows of itself: the maker, model and serial number
 * its firmware reports (Linux's {@code /sys/class/dmi/id}, where readable), and its operating system.
 * What is not known is left out, never made up.
 */
final class DeviceIdentity {

    /** Longer firmware strings are not identity but noise. */
    private static final int MAX_CHARS = 128;

    private final Path dmi;

    /** @param dmi the DMI folder, {@code /sys/class/dmi/id} on Linux */
    DeviceIdentity(Path dmi) {
        this.dmi = dmi;
    }

    JDeviceInfo.Identity read(String hostName, String osName) {
        return new JDeviceInfo.Identity(hostName, field("sys_vendor"), field("product_name"), osName,
                field("product_serial"));
    }

    /** A DMI field, or null when it is absent, unreadable (the serial is root's only) or a placeholder. */
    private String field(String name) {
        try {
            String value = new String(Files.readAllBytes(dmi.resolve(name)), StandardCharsets.UTF_8).trim();
            boolean placeholder = value.isEmpty() || value.equalsIgnoreCase("To Be Filled By O.E.M.")
                    || value.equalsIgnoreCase("Default string") || value.equalsIgnoreCase("None");
            return placeholder || value.length() > MAX_CHARS || !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                    ? null : value;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}

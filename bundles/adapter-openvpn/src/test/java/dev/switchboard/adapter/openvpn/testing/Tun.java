package dev.switchboard.adapter.openvpn.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/** Real tunnels need {@code openvpn}, a tun device and root: without them the test is skipped, saying why. */
public final class Tun {

    private Tun() {
    }

    public static void assumeAvailable() {
        Assumptions.assumeTrue(whyNot() == null, () -> "OpenVPN tests skipped: " + whyNot());
    }

    /** Why real tunnels cannot run here, or {@code null} when they can. */
    public static String whyNot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "no tun device (/dev/net/tun)";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/openvpn")) && !Files.isExecutable(Path.of("/usr/bin/openvpn"))) {
            return "openvpn is not installed (apt-get install openvpn)";
        }
        return null;
    }
}

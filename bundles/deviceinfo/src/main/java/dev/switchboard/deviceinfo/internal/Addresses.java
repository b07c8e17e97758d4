package dev.switchboard.deviceinfo.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dev.switchboard.deviceinfo.internal.JDeviceInfo.Address;

/** The network interfaces that are up, as Thunder's {@code addresses} lists them. */
final class Addresses {

    private static final HexFormat MAC = HexFormat.ofDelimiter(":");

    private Addresses() {
    }

    static List<Address> read() throws SocketException {
        List<Address> addresses = new ArrayList<>();
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp()) {
                addresses.add(new Address(nic.getName(), mac(nic.getHardwareAddress()),
                        nic.inetAddresses().map(Addresses::ip).toList()));
            }
        }
        return addresses;
    }

    static String mac(byte[] hardwareAddress) {
        return hardwareAddress == null ? "" : MAC.formatHex(hardwareAddress);
    }

    /** The textual address without an IPv6 scope suffix such as {@code %eth0}. */
    private static String ip(InetAddress address) {
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return scope < 0 ? text : text.substring(0, scope);
    }
}

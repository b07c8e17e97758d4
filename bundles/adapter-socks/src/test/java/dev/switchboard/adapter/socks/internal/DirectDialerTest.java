package dev.switchboard.adapter.socks.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;

/** Which targets count as this host or its private networks, refused unless allowed. */
class DirectDialerTest {

    static boolean isPrivate(String literal) throws UnknownHostException {
        return DirectDialer.isPrivate(InetAddress.getByName(literal));
    }

    @Test
    void localAndPrivateAddresses() throws UnknownHostException {
        for (String address : new String[] {"127.0.0.1", "127.8.9.10", "0.0.0.0", "10.0.0.1", "172.16.5.4",
            "192.168.1.1", "169.254.169.254", "224.0.0.1", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1",
            "::ffff:127.0.0.1", "::ffff:192.168.0.1"}) {
            assertThat(isPrivate(address)).as(address).isTrue();
        }
    }

    @Test
    void publicAddresses() throws UnknownHostException {
        for (String address : new String[] {"1.1.1.1", "8.8.8.8", "172.32.0.1", "192.0.2.1", "2001:db8::1",
            "2606:4700::1111"}) {
            assertThat(isPrivate(address)).as(address).isFalse();
        }
    }
}

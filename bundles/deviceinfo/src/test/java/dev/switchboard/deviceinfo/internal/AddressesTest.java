package dev.switchboard.deviceinfo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.NetworkInterface;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.deviceinfo.internal.JDeviceInfo.Address;

class AddressesTest {

    @Test
    void listsTheLoopbackInterfaceWhenItIsUp() throws Exception {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        assumeTrue(lo != null && lo.isUp(), "no loopback interface named lo is up");

        List<Address> addresses = Addresses.read();

        assertThat(addresses).filteredOn(a -> a.name().equals("lo")).singleElement()
                .satisfies(a -> assertThat(a.ip()).contains("127.0.0.1"))
                .satisfies(a -> assertThat(a.mac()).isEmpty());
    }

    @Test
    void listsOnlyInterfacesThatAreUp() throws Exception {
        for (Address address : Addresses.read()) {
            assertThat(NetworkInterface.getByName(address.name()).isUp()).as(address.name()).isTrue();
            assertThat(address.ip()).noneMatch(ip -> ip.contains("%"));
        }
    }

    @Test
    void formatsMacAddressesAsLowerCaseColonHex() {
        assertThat(Addresses.mac(new byte[] {0x00, 0x1A, (byte) 0xBC, 0x0d, (byte) 0xEF, 0x7f}))
                .isEqualTo("00:1a:bc:0d:ef:7f");
        assertThat(Addresses.mac(null)).isEmpty();
    }
}

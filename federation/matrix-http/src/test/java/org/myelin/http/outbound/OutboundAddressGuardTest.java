package org.myelin.http.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OutboundAddressGuardTest {

    private final OutboundAddressGuard strict = OutboundAddressGuard.parse("");

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.9.9.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1",
            "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"})
    void refusesInternalAddressesByDefault(String address) throws UnknownHostException {
        assertThat(strict.permits(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "2606:4700::1111", "::ffff:8.8.4.4"})
    void permitsPublicAddresses(String address) throws UnknownHostException {
        assertThat(strict.permits(InetAddress.getByName(address))).isTrue();
    }

    @Test
    void listedBlocksAreReachable() throws UnknownHostException {
        OutboundAddressGuard tests = OutboundAddressGuard.parse("127.0.0.0/8, ::1/128");
        assertThat(tests.permits(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(tests.permits(InetAddress.getByName("::1"))).isTrue();
        assertThat(tests.permits(InetAddress.getByName("10.0.0.1"))).isFalse();
        assertThat(tests.allowed()).hasSize(2);
    }

    @Test
    void aBareAddressIsABlockOfOne() throws UnknownHostException {
        OutboundAddressGuard one = OutboundAddressGuard.parse("10.0.0.5");
        assertThat(one.permits(InetAddress.getByName("10.0.0.5"))).isTrue();
        assertThat(one.permits(InetAddress.getByName("10.0.0.6"))).isFalse();
    }

    @Test
    void cidrsNormaliseHostBits() {
        assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "example.org/8", "10.0.0.0/33", "::1/129", "10.0.0.0/x", "1.2.3"})
    void refusesWhatIsNotABlock(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}

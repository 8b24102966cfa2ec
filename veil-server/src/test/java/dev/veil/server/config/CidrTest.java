package dev.veil.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void matches_addresses_inside_the_prefix_only() throws Exception {
        Cidr net = Cidr.parse("192.168.4.0/22");

        assertThat(net.contains(InetAddress.getByName("192.168.7.255"))).isTrue();
        assertThat(net.contains(InetAddress.getByName("192.168.8.0"))).isFalse();
        assertThat(net.contains(InetAddress.getByName("::1"))).isFalse();
        assertThat(Cidr.parse("fd00::/8").contains(InetAddress.getByName("fd12::1")))
                .isTrue();
        assertThat(Cidr.parse("10.0.0.1").contains(InetAddress.getByName("10.0.0.2")))
                .isFalse();
    }

    @Test
    void refuses_host_names_and_bad_prefixes_without_resolving_them() {
        assertThatThrownBy(() -> Cidr.parse("localhost")).hasMessageContaining("expected an IP network");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length must be 0..32");
        assertThat(Cidr.parseLiteral("example.org")).isEmpty();
    }
}

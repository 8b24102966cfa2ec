package dev.veil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.config.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientIpResolverTest {

    private final ClientIpResolver resolver =
            new ClientIpResolver(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.5")));

    @Test
    void uses_the_socket_address_when_the_peer_is_not_a_trusted_proxy() {
        assertThat(resolver.resolve("203.0.113.9", "198.51.100.1")).isEqualTo("203.0.113.9");
    }

    @Test
    void takes_the_rightmost_untrusted_hop_behind_trusted_proxies() {
        // The client forged the leftmost entry; the trusted proxies appended the rest.
        assertThat(resolver.resolve("10.0.0.2", "1.2.3.4, 198.51.100.7, 172.16.0.5"))
                .isEqualTo("198.51.100.7");
    }

    @Test
    void stops_at_a_garbled_hop_and_strips_ports() {
        assertThat(resolver.resolve("10.0.0.2", "garbage, 198.51.100.7:5555")).isEqualTo("198.51.100.7");
        assertThat(resolver.resolve("10.0.0.2", "198.51.100.7, not-an-ip")).isEqualTo("10.0.0.2");
        assertThat(resolver.resolve("10.0.0.2", "[2001:db8::1]:443")).isEqualTo("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void uses_the_leftmost_hop_when_every_hop_is_trusted() {
        assertThat(resolver.resolve("10.0.0.2", "10.9.9.9, 10.0.0.3")).isEqualTo("10.9.9.9");
    }
}

package dev.veil.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.http.Rate;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigLoaderTest {

    private static final Path BASE = Path.of("/etc/veil");

    @Test
    void reads_every_key_and_resolves_paths_against_the_file() throws Exception {
        ServerConfig c = ServerConfigLoader.parse("""
                listen:
                  host: 0.0.0.0
                  port: 9090
                dataDir: data
                storage: sqlite
                policy: policy.yaml
                trustedProxies: [10.0.0.0/8, "fd00::/8"]
                limits:
                  messageSize: 16KB
                  batchSize: 1MB
                  batchMessages: 100
                  decompressedSize: 4MB
                  maxDepth: 10
                dedupWindow: 12h
                retention: 3d
                """, "veil.yaml", BASE);

        assertThat(c.listen()).isEqualTo(new ServerConfig.Listen("0.0.0.0", 9090));
        assertThat(c.dataDir()).isEqualTo(Path.of("/etc/veil/data"));
        assertThat(c.policyFile()).isEqualTo(Path.of("/etc/veil/policy.yaml"));
        assertThat(c.trustedProxies()).hasSize(2);
        assertThat(c.trustedProxies().get(0).contains(InetAddress.getByName("10.1.2.3")))
                .isTrue();
        assertThat(c.limits()).isEqualTo(new ServerConfig.Limits(16 * 1024, 1024 * 1024, 100, 4 * 1024 * 1024, 10));
        assertThat(c.dedupWindow()).isEqualTo(Duration.ofHours(12));
        assertThat(c.retention()).isEqualTo(Duration.ofDays(3));
    }

    @Test
    void reads_the_management_listener_and_the_http_limits() {
        ServerConfig c = ServerConfigLoader.parse("""
                management:
                  host: 10.0.0.5
                  port: 9464
                http:
                  maxConnections: 2000
                  maxConnectionsPerIp: 50
                  headerTimeout: 5s
                  bodyTimeout: 20s
                  idleTimeout: 60s
                  maxHeaderSize: 32KB
                """, "veil.yaml", BASE);

        assertThat(c.management()).isEqualTo(new ServerConfig.Listen("10.0.0.5", 9464));
        assertThat(c.http().maxConnections()).isEqualTo(2000);
        assertThat(c.http().maxConnectionsPerIp()).isEqualTo(50);
        assertThat(c.http().headerTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.http().bodyTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.http().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.http().maxRequestHeaderBytes()).isEqualTo(32 * 1024);
    }

    @Test
    void the_management_listener_defaults_to_loopback_9090_and_a_bad_http_limit_names_its_key() {
        ServerConfig c = ServerConfigLoader.parse("listen:\n  port: 8081\n", "veil.yaml", BASE);
        assertThat(c.management()).isEqualTo(new ServerConfig.Listen("127.0.0.1", 9090));

        assertThatThrownBy(() -> ServerConfigLoader.parse(
                        "http:\n  maxConnections: 10\n  maxConnectionsPerIp: 20\n", "v.yaml", BASE))
                .hasMessageContaining(
                        "config v.yaml: http: maxConnectionsPerIp (20) must not exceed maxConnections (10)");
    }

    @Test
    void reads_rate_limits_as_text_as_a_mapping_or_off_and_tls_files_relative_to_the_config() {
        ServerConfig c = ServerConfigLoader.parse("""
                rateLimits:
                  perIp: 50/s
                  perSource: {rate: 1000/s, burst: 5000}
                  failedAuthPerIp: off
                tls:
                  certificate: tls/fullchain.pem
                  privateKey: tls/privkey.pem
                  reloadCheck: 30s
                """, "veil.yaml", BASE);

        assertThat(c.rateLimits().perIp()).isEqualTo(Rate.parse("50/s"));
        assertThat(c.rateLimits().perSource()).isEqualTo(Rate.parse("1000/s").withBurst(5000));
        assertThat(c.rateLimits().failedAuthPerIp()).isNull();
        assertThat(c.tls().certificate()).isEqualTo(Path.of("/etc/veil/tls/fullchain.pem"));
        assertThat(c.tls().privateKey()).isEqualTo(Path.of("/etc/veil/tls/privkey.pem"));
        assertThat(c.tls().reloadCheck()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.tls().hstsMaxAge()).isEqualTo(Duration.ofDays(365));
        assertThat(ServerConfigLoader.parse("dataDir: d\n", "v.yaml", BASE).rateLimits())
                .isEqualTo(ServerConfig.RateLimits.defaults());

        assertThatThrownBy(() -> ServerConfigLoader.parse("rateLimits:\n  perIp: lots\n", "v.yaml", BASE))
                .hasMessageContaining("rateLimits.perIp")
                .hasMessageContaining("200/s, 10/min or 5000/h");
        assertThatThrownBy(() -> ServerConfigLoader.parse("tls:\n  certificate: c.pem\n", "v.yaml", BASE))
                .hasMessageContaining("tls: needs both certificate and privateKey");
    }

    @Test
    void applies_segment_limits_and_defaults_when_keys_are_absent() {
        ServerConfig c = ServerConfigLoader.parse("listen:\n  port: 8081\n", "veil.yaml", BASE);

        assertThat(c.listen().host()).isEqualTo("127.0.0.1");
        assertThat(c.limits().messageBytes()).isEqualTo(32 * 1024);
        assertThat(c.limits().batchBytes()).isEqualTo(500 * 1024);
        assertThat(c.limits().batchMessages()).isEqualTo(2_500);
        assertThat(c.dedupWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(c.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(c.policyFile()).isNull();
    }

    @Test
    void refuses_an_unknown_key_naming_its_path_and_line() {
        assertThatThrownBy(() -> ServerConfigLoader.parse(
                        "listen:\n  port: 8080\nlimits:\n  batchSize: 1MB\n  batchSizee: 2MB\n", "veil.yaml", BASE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config veil.yaml limits.batchSizee: unknown key 'batchSizee'")
                .hasMessageContaining("(line 5)");
    }

    @Test
    void refuses_a_malformed_size_duration_or_network_with_path_and_line() {
        assertThatThrownBy(() -> ServerConfigLoader.parse("limits:\n  messageSize: lots\n", "v.yaml", BASE))
                .hasMessageContaining("limits.messageSize: expected a size like 32KB")
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> ServerConfigLoader.parse("dedupWindow: forever\n", "v.yaml", BASE))
                .hasMessageContaining("dedupWindow: expected a duration like 24h");
        assertThatThrownBy(() ->
                        ServerConfigLoader.parse("trustedProxies:\n  - 10.0.0.0/8\n  - proxy.local\n", "v.yaml", BASE))
                .hasMessageContaining("trustedProxies[1]: expected an IP network")
                .hasMessageContaining("line 3");
    }

    @Test
    void refuses_wrong_types_and_values() {
        assertThatThrownBy(() -> ServerConfigLoader.parse("listen:\n  port: [1]\n", "v.yaml", BASE))
                .hasMessageContaining("listen.port: expected a whole number");
        assertThatThrownBy(() -> ServerConfigLoader.parse("listen:\n  port: 70000\n", "v.yaml", BASE))
                .hasMessageContaining("port must be 0..65535");
        assertThatThrownBy(() -> ServerConfigLoader.parse("storage: kafka\n", "v.yaml", BASE))
                .hasMessageContaining("storage: must be one of [sqlite, postgres]");
        assertThatThrownBy(() -> ServerConfigLoader.parse("limits:\n  messageSize: 1MB\n", "v.yaml", BASE))
                .hasMessageContaining("messageSize must not exceed batchSize");
    }

    @Test
    void names_a_missing_file() {
        assertThatThrownBy(() -> ServerConfigLoader.load(Path.of("/nonexistent/veil.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config /nonexistent/veil.yaml: file not found");
    }

    @Test
    void the_documented_example_file_is_valid(@TempDir Path dir) throws Exception {
        Path example = Path.of("../examples/veil.yaml");
        Files.copy(example, dir.resolve("veil.yaml"));

        ServerConfig c = ServerConfigLoader.load(dir.resolve("veil.yaml"));

        assertThat(c.policyFile()).isEqualTo(dir.resolve("policy.yaml"));
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/veil"));
        assertThat(c.trustedProxies()).containsExactly(Cidr.parse("10.0.0.0/8"));
    }
}

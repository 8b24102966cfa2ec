package dev.veil.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.core.policy.SourceSpec;
import dev.veil.fakes.FakeGa4;
import dev.veil.fakes.FakeMeta;
import dev.veil.fakes.ReceivedRequest;
import dev.veil.server.EmbeddedStores;
import dev.veil.server.VeilServer;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.pipeline.ConfiguredConnectors;
import dev.veil.server.pipeline.Pipeline;
import dev.veil.server.source.GeneratedKeyStore;
import dev.veil.server.source.PolicySourceRegistry;
import dev.veil.server.source.PolicySourcesReader;
import dev.veil.server.source.SecretResolver;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-side relays (issue 10): a backend that relays its visitors' events with a Segment server library sends the
 * visitor's {@code context.ip} and {@code context.userAgent} in the message, from its own address and with its own
 * user agent. A source marked {@code trustedServer: true} in the policy is believed (Segment's behaviour): Meta gets
 * the browser's user agent and GA4 the visitor's location and device. Any other source keeps the browser rule (the
 * request's address and User-Agent header), so the same message from it carries the relay's.
 */
class TrustedServerSourceEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BROWSER_UA =
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0"
                    + " Safari/537.36";
    private static final String RELAY_UA = "analytics-python/2.3.3";
    /** In MaxMind's test database: United States, Washington. */
    private static final String VISITOR_IP = "216.160.83.56";

    @TempDir
    Path dir;

    @Test
    void a_trusted_server_source_is_believed_about_the_visitors_ip_and_user_agent_and_others_are_not()
            throws Exception {
        Path geo = dir.resolve("GeoIP2-City-Test.mmdb");
        Files.copy(Path.of("..", "veil-core", "src", "test", "resources", "geo", "GeoIP2-City-Test.mmdb"), geo);
        Path secret = dir.resolve("token");
        Files.writeString(secret, "relay-secret", StandardCharsets.UTF_8);
        String ref = "${file:" + secret.toAbsolutePath() + "}";
        try (FakeGa4 ga4 = FakeGa4.start("G-RELAY1", "relay-secret");
                FakeMeta meta = FakeMeta.start("888", "relay-secret");
                EmbeddedStores stores = EmbeddedStores.open(dir, MasterKey.load(dir), EventLogOptions.defaults())) {
            String policy = policy(geo, ga4.baseUrl(), meta.baseUrl(), ref);
            Path policyFile = dir.resolve("relay.yaml");
            Files.writeString(policyFile, policy, StandardCharsets.UTF_8);
            List<SourceSpec> specs = PolicySourcesReader.read(policyFile);
            PolicySourceRegistry sources = new PolicySourceRegistry(
                    specs,
                    new SecretResolver(Map.of("BACKEND_KEY", "backend-key-1", "WEB_KEY", "web-key-1"), dir),
                    new NoGeneratedKeys(),
                    (s, k) -> {});
            ServerConfig config = ServerConfig.defaults().withEphemeralPorts();
            try (VeilServer server =
                            VeilServer.start(config, sources, stores.eventLog(), Clock.systemUTC(), List.of());
                    Pipeline pipeline = Pipeline.start(
                            stores,
                            dir,
                            server.registry(),
                            ConfiguredConnectors.system(),
                            new Pipeline.PolicyFile("relay.yaml", policy))) {
                send(server.port(), "backend-key-1", "Relayed Visit");
                send(server.port(), "web-key-1", "Direct Visit");

                meta.awaitAccepted(2, Duration.ofMinutes(1));
                ga4.awaitAccepted(2, Duration.ofMinutes(1));
            }
            assertThat(meta.violations()).isEmpty();
            assertThat(ga4.violations()).isEmpty();

            JsonNode relayedMeta = metaEvent(meta, "Relayed Visit");
            assertThat(relayedMeta.at("/user_data/client_user_agent").asText()).isEqualTo(BROWSER_UA);
            JsonNode relayedGa4 = ga4Body(ga4, "relayed_visit");
            assertThat(relayedGa4.at("/user_location/country_id").asText()).isEqualTo("US");
            assertThat(relayedGa4.at("/user_location/region_id").asText()).isEqualTo("US-WA");
            assertThat(relayedGa4.at("/device/browser").asText()).isEqualTo("Chrome");
            assertThat(relayedGa4.at("/device/operating_system").asText()).isEqualTo("Windows");

            JsonNode directMeta = metaEvent(meta, "Direct Visit");
            assertThat(directMeta.at("/user_data/client_user_agent").asText())
                    .as("an untrusted source: the request's own User-Agent")
                    .isEqualTo(RELAY_UA);
            JsonNode directGa4 = ga4Body(ga4, "direct_visit");
            assertThat(directGa4.has("user_location"))
                    .as("an untrusted source: located by the request's address (127.0.0.1, nowhere)")
                    .isFalse();
            assertThat(directGa4.at("/device/browser").asText()).isNotEqualTo("Chrome");
        }
    }

    private static JsonNode metaEvent(FakeMeta meta, String name) {
        return meta.accepted().stream()
                .filter(e -> e.path("event_name").asText().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static JsonNode ga4Body(FakeGa4 ga4, String name) throws Exception {
        for (ReceivedRequest r : ga4.requests()) {
            JsonNode body = JSON.readTree(r.body());
            for (JsonNode e : body.path("events")) {
                if (e.path("name").asText().equals(name)) {
                    return body;
                }
            }
        }
        throw new AssertionError("GA4 received no " + name);
    }

    /** The same relayed message, as a Segment server library sends it: from the relay, with its user agent. */
    private static void send(int port, String writeKey, String event) throws Exception {
        String body = """
                {"type":"track","messageId":"%s","event":"%s","timestamp":"%s","userId":"u-1","anonymousId":"a-1",
                 "context":{"ip":"%s","userAgent":"%s","page":{"url":"https://www.example-health.org/visit"}}}""".formatted(
                        event.replace(' ', '-').toLowerCase(java.util.Locale.ROOT),
                        event,
                        Instant.now(),
                        VISITOR_IP,
                        BROWSER_UA);
        String auth = Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/track"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + auth)
                .header("User-Agent", RELAY_UA)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    private static String policy(Path geo, String ga4, String meta, String secretRef) {
        return """
                version: 1
                privacy:
                  geo:
                    database: %1$s
                sources:
                  - id: backend
                    name: Booking backend
                    writeKey: ${env:BACKEND_KEY}
                    trustedServer: true
                  - id: website
                    name: Website
                    writeKey: ${env:WEB_KEY}
                    allowedOrigins: ["https://www.example-health.org"]
                destinations:
                  - id: ga4
                    type: ga4
                    name: GA4
                    settings:
                      measurementId: G-RELAY1
                      apiSecret: "%2$s"
                      endpoint: %3$s/mp/collect
                    context:
                      ip: geo
                      userAgent: generalize
                    events:
                      allow:
                        - name: "Relayed Visit"
                        - name: "Direct Visit"
                  - id: meta
                    type: meta
                    name: Meta
                    settings:
                      pixelId: "888"
                      accessToken: "%2$s"
                      endpoint: %4$s
                    context:
                      userAgent: pass
                      pageUrl: sanitize
                    events:
                      allow:
                        - name: "Relayed Visit"
                        - name: "Direct Visit"
                """.formatted(geo.toAbsolutePath(), secretRef, ga4, meta);
    }

    /** Every source here references its key; none is generated. */
    private static final class NoGeneratedKeys implements GeneratedKeyStore {
        @Override
        public Optional<String> ensureKey(String sourceId, String name, List<String> allowedOrigins) {
            return Optional.empty();
        }

        @Override
        public Optional<String> sourceIdFor(String writeKey) {
            return Optional.empty();
        }
    }
}

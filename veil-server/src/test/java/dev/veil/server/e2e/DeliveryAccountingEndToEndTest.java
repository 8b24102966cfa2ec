package dev.veil.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.veil.fakes.FakeAmplitude;
import dev.veil.fakes.FakeGa4;
import dev.veil.fakes.FakeMeta;
import dev.veil.fakes.FakeMixpanel;
import dev.veil.fakes.FakeTiktok;
import dev.veil.fakes.Fault;
import dev.veil.server.EmbeddedStores;
import dev.veil.server.VeilServer;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.pipeline.ConfiguredConnectors;
import dev.veil.server.pipeline.Pipeline;
import dev.veil.server.source.Source;
import dev.veil.server.source.StaticSourceRegistry;
import dev.veil.server.testing.TestServer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounting promise as an operator sees it on {@code /metrics} of a running server (real ingest, SQLite log,
 * the pipeline {@code serve} starts, real connectors, strict fakes): for every destination, each accepted event is
 * counted exactly once as delivered, dropped by the policy, skipped by the connector or dead-lettered.
 */
class DeliveryAccountingEndToEndTest {
    private static final String WRITE_KEY = "accounting-write-key-1";
    private static final List<String> DESTINATIONS = List.of("ga4", "meta", "tiktok", "mixpanel", "amplitude");
    /** Destinations whose vendor keeps user profiles: identify calls are delivered there, not skipped. */
    private static final List<String> PROFILES = List.of("mixpanel", "amplitude");

    @TempDir
    Path dir;

    @Test
    void delivered_dropped_skipped_and_dead_lettered_add_up_to_accepted_for_every_destination() throws Exception {
        Path secret = dir.resolve("token");
        Files.writeString(secret, "acct-secret", StandardCharsets.UTF_8);
        String ref = "${file:" + secret.toAbsolutePath() + "}";
        try (FakeGa4 ga4 = FakeGa4.start("G-ACCT1", "acct-secret");
                FakeMeta meta = FakeMeta.start("555", "acct-secret");
                FakeTiktok tiktok = FakeTiktok.start("CACCT", "acct-secret");
                FakeMixpanel mixpanel = FakeMixpanel.start("4242", "acct-secret", "sa", "sa-secret");
                FakeAmplitude amplitude = FakeAmplitude.start("acct-secret");
                EmbeddedStores stores = EmbeddedStores.open(dir, MasterKey.load(dir), EventLogOptions.defaults())) {
            StaticSourceRegistry sources = new StaticSourceRegistry()
                    .add(new Source("website", "Website", List.of("https://www.example-health.org")), WRITE_KEY);
            ServerConfig config = ServerConfig.defaults().withEphemeralPorts();
            try (VeilServer server =
                            VeilServer.start(config, sources, stores.eventLog(), Clock.systemUTC(), List.of());
                    Pipeline pipeline = Pipeline.start(
                            stores,
                            dir,
                            server.registry(),
                            ConfiguredConnectors.system(),
                            new Pipeline.PolicyFile(
                                    "accounting.yaml",
                                    policy(
                                            ga4.baseUrl(),
                                            meta.baseUrl(),
                                            tiktok.baseUrl(),
                                            mixpanel.baseUrl(),
                                            amplitude.baseUrl(),
                                            ref)))) {
                // Mixpanel and Amplitude process the first request and lose the answer: delivery retries, and only
                // the vendors' dedup keys ($insert_id, insert_id) keep them from counting those events twice.
                mixpanel.faults().failNext(1, Fault.answerLost());
                amplitude.faults().failNext(1, Fault.answerLost());
                int accepted = mixedStream(server.port());

                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                    String metrics = get(server.managementPort(), "/metrics");
                    for (String d : DESTINATIONS) {
                        assertThat(settled(metrics, d)).as(d).isEqualTo(accepted);
                    }
                });
                String metrics = get(server.managementPort(), "/metrics");
                assertThat(value(metrics, "veil_ingest_events_accepted_total", null))
                        .isEqualTo(accepted);
                for (String d : DESTINATIONS) {
                    // GA4 clamps an event older than its 72 hours (staleEvents: clamp), Mixpanel and Amplitude
                    // take old events as they are; Meta and TikTok refuse it.
                    boolean keepsStale = List.of("ga4", "mixpanel", "amplitude").contains(d);
                    boolean profiles = PROFILES.contains(d);
                    assertThat(value(metrics, "veil_delivery_delivered_total", d))
                            .as("%s delivered", d)
                            .isEqualTo(3 + (keepsStale ? 1 : 0) + (profiles ? 1 : 0));
                    assertThat(value(metrics, "veil_delivery_dropped_total", d))
                            .as("%s dropped by the policy", d)
                            .isEqualTo(2);
                    if (profiles) {
                        assertThat(value(metrics, "veil_delivery_skipped_total", d))
                                .as("%s sent identify as a profile update", d)
                                .isZero();
                    } else {
                        assertThat(metrics)
                                .as("%s skipped identify with its reason", d)
                                .contains("veil_delivery_skipped_total{destination=\"" + d
                                        + "\",reason=\"identify_not_sent\"} 1.0");
                    }
                    assertThat(value(metrics, "veil_delivery_dead_lettered_total", d))
                            .as("%s dead-lettered the stale event", d)
                            .isEqualTo(keepsStale ? 0 : 1);
                    assertThat(value(metrics, "veil_delivery_read_total", d)).isEqualTo(accepted);
                }
                assertThat(metrics)
                        .contains(
                                "veil_delivery_repaired_total{destination=\"ga4\",reason=\"timestamp_clamped_72h\"} 1.0");
                assertThat(stores.deadLetters().count("meta")).isEqualTo(1);
            }
            assertThat(ga4.violations()).isEmpty();
            assertThat(meta.violations()).isEmpty();
            assertThat(tiktok.violations()).isEmpty();
            assertThat(mixpanel.violations()).isEmpty();
            assertThat(amplitude.violations()).isEmpty();
            assertThat(mixpanel.profiles()).hasSize(1);
            for (var vendor : List.of(mixpanel, amplitude)) {
                assertThat(vendor.duplicates())
                        .as("%s received a retried request", vendor.getClass().getSimpleName())
                        .isPositive();
                assertThat(vendor.distinctDedupKeys())
                        .as(
                                "%s counts the 4 events and the profile update once each",
                                vendor.getClass().getSimpleName())
                        .isEqualTo(5);
            }
            assertThat(amplitude.userProperties().values())
                    .anySatisfy(p -> assertThat(p.path("plan").asText()).isEqualTo("basic"));
        }
    }

    /** Sends 3 allowed events, 2 the policy drops, 1 identify call and 1 event too old for any vendor. */
    private static int mixedStream(int port) throws Exception {
        Instant now = Instant.now();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(track("ok-" + i, "Appointment Booked", now.minusSeconds(i)));
        }
        events.add(track("drop-0", "Diagnosis Viewed", now));
        events.add(track("drop-1", "Diagnosis Viewed", now.minusSeconds(1)));
        events.add(track("stale", "Appointment Booked", now.minus(Duration.ofDays(10))));
        events.add("""
                {"type":"identify","messageId":"id-0","userId":"u-1","anonymousId":"a-1","timestamp":"%s",
                 "traits":{"plan":"basic"}}""".formatted(now));
        String body = "{\"batch\":[" + String.join(",", events) + "]}";
        HttpResponse<String> r = TestServer.postBatch(port, WRITE_KEY, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return events.size();
    }

    private static String track(String messageId, String name, Instant at) {
        return """
                {"type":"track","messageId":"%s","event":"%s","timestamp":"%s","userId":"u-1","anonymousId":"a-1",
                 "context":{"userAgent":"Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0 Safari/537.36",
                   "page":{"url":"https://www.example-health.org/book"}}}""".formatted(messageId, name, at);
    }

    private static String policy(
            String ga4, String meta, String tiktok, String mixpanel, String amplitude, String secretRef) {
        String allow = """
                    context:
                      userAgent: pass
                      pageUrl: sanitize
                    events:
                      identify: true
                      allow:
                        - name: "Appointment Booked"
                """;
        String traits = """
                    traits:
                      plan: pass
                """;
        return """
                version: 1
                sources:
                  - id: website
                    name: Website
                    allowedOrigins: ["https://www.example-health.org"]
                destinations:
                  - id: ga4
                    type: ga4
                    name: GA4
                    settings:
                      measurementId: G-ACCT1
                      apiSecret: "%s"
                      endpoint: %s/mp/collect
                %s
                  - id: meta
                    type: meta
                    name: Meta
                    settings:
                      pixelId: "555"
                      accessToken: "%s"
                      endpoint: %s
                %s
                  - id: tiktok
                    type: tiktok
                    name: TikTok
                    settings:
                      pixelCode: CACCT
                      accessToken: "%s"
                      endpoint: %s
                %s
                  - id: mixpanel
                    type: mixpanel
                    name: Mixpanel
                    settings:
                      projectToken: "%s"
                      endpoint: %s
                %s%s
                  - id: amplitude
                    type: amplitude
                    name: Amplitude
                    settings:
                      apiKey: "%s"
                      endpoint: %s/2/httpapi
                %s%s
                """.formatted(
                        secretRef, ga4, allow, secretRef, meta, allow, secretRef, tiktok, allow, secretRef, mixpanel,
                        allow, traits, secretRef, amplitude, allow, traits);
    }

    /** delivered + dropped + skipped + dead-lettered of one destination. */
    private static long settled(String metrics, String destination) {
        return value(metrics, "veil_delivery_delivered_total", destination)
                + value(metrics, "veil_delivery_dropped_total", destination)
                + value(metrics, "veil_delivery_skipped_total", destination)
                + value(metrics, "veil_delivery_dead_lettered_total", destination);
    }

    /** The sum of a metric's samples (over every reason), for one destination or, when null, untagged. */
    private static long value(String metrics, String name, String destination) {
        Pattern line = Pattern.compile("^" + name + "(\\{[^}]*})? ([0-9.eE+]+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(metrics);
        double sum = 0;
        while (m.find()) {
            String labels = m.group(1) == null ? "" : m.group(1);
            if (destination == null || labels.contains("destination=\"" + destination + "\"")) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return Math.round(sum);
    }

    private static String get(int port, String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }
}

package dev.veil.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.veil.fakes.FakeAmplitude;
import dev.veil.fakes.FakeGa4;
import dev.veil.fakes.FakeMeta;
import dev.veil.fakes.FakeMixpanel;
import dev.veil.fakes.FakeTiktok;
import dev.veil.fakes.FakeVendor;
import dev.veil.server.EmbeddedStores;
import dev.veil.server.VeilServer;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.pipeline.ConfiguredConnectors;
import dev.veil.server.pipeline.Pipeline;
import dev.veil.server.source.Source;
import dev.veil.server.source.StaticSourceRegistry;
import dev.veil.server.testing.TestServer;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One batch with one event each vendor refuses, through the running pipeline into strict fakes: every valid event
 * reaches each vendor exactly once, and only the invalid one is in the dead-letter store, with the reason.
 *
 * <ul>
 *   <li>GA4 answers 2xx to anything, so the connector refuses the event itself (a name GA4 reserves);
 *   <li>Meta fails the whole request for one bad event (a {@code contents} property that is not an array): the
 *       engine splits the request until the bad event is alone;
 *   <li>TikTok answers 20001 (partial success) for an event older than its window (the destination allows 30 days,
 *       TikTok 7): the engine splits, and TikTok deduplicates the events it already kept, so each counts once;
 *   <li>Mixpanel refuses properties nested deeper than 3 levels, Amplitude its reserved event names (an event renamed
 *       to {@code [Amplitude] Revenue}): both connectors refuse the event before sending.
 * </ul>
 */
class OneInvalidEventEndToEndTest {
    private static final String WRITE_KEY = "one-invalid-key-1";
    private static final int VALID = 9;

    @TempDir
    Path dir;

    @Test
    void the_valid_events_reach_each_vendor_exactly_once_and_only_the_invalid_one_is_dead_lettered() throws Exception {
        Path secret = dir.resolve("token");
        Files.writeString(secret, "inv-secret", StandardCharsets.UTF_8);
        String ref = "${file:" + secret.toAbsolutePath() + "}";
        try (FakeGa4 ga4 = FakeGa4.start("G-INV1", "inv-secret");
                FakeMeta meta = FakeMeta.start("777", "inv-secret");
                FakeTiktok tiktok = FakeTiktok.start("CINV", "inv-secret");
                FakeMixpanel mixpanel = FakeMixpanel.start("4242", "inv-secret", "sa", "sa-secret");
                FakeAmplitude amplitude = FakeAmplitude.start("inv-secret");
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
                                    "one-invalid.yaml",
                                    policy(
                                            ga4.baseUrl(),
                                            meta.baseUrl(),
                                            tiktok.baseUrl(),
                                            mixpanel.baseUrl(),
                                            amplitude.baseUrl(),
                                            ref)))) {
                int sent = ingest(server.port());

                for (String d : List.of("ga4", "meta", "tiktok", "mixpanel", "amplitude")) {
                    await().atMost(Duration.ofMinutes(1))
                            .untilAsserted(() -> assertThat(stores.eventLog().cursor("dest:" + d))
                                    .isEqualTo(sent));
                }
            }
            assertExactlyOnce(ga4);
            assertExactlyOnce(meta);
            assertExactlyOnce(mixpanel);
            assertExactlyOnce(amplitude);
            // TikTok kept the valid events of the first request (20001), so isolating the refused one resends them;
            // each resend carries the same event + event_id, which TikTok deduplicates for 48 hours: every valid
            // event counts once.
            assertThat(tiktok.distinctDedupKeys()).isEqualTo(VALID);
            assertThat(tiktok.accepted())
                    .allSatisfy(e -> assertThat(e.path("event").asText()).isEqualTo("Appointment Booked"));
            assertThat(ga4.incomplete()).isEmpty();
            assertThat(onlyDeadLetter(stores.deadLetters(), "ga4"))
                    .contains("name: 'session_start' is reserved by GA4");
            assertThat(onlyDeadLetter(stores.deadLetters(), "meta")).contains("meta: HTTP 400 error code 100");
            assertThat(onlyDeadLetter(stores.deadLetters(), "tiktok"))
                    .as("isolated by halves after the batch got 20001, then refused alone")
                    .contains("tiktok: code 40002 (invalid parameters)");
            assertThat(onlyDeadLetter(stores.deadLetters(), "mixpanel")).contains("properties.deep: nested 4 levels");
            assertThat(onlyDeadLetter(stores.deadLetters(), "amplitude")).contains("event_type: reserved by Amplitude");
        }
    }

    private static void assertExactlyOnce(FakeVendor fake) {
        assertThat(fake.accepted()).as(fake.getClass().getSimpleName()).hasSize(VALID);
        assertThat(fake.duplicates()).isZero();
        assertThat(fake.distinctDedupKeys()).isEqualTo(VALID);
    }

    private static String onlyDeadLetter(DeadLetterStore deadLetters, String destination) {
        var all = deadLetters.list(destination, Instant.EPOCH, 10);
        assertThat(all).as(destination).hasSize(1);
        return all.getFirst().reason();
    }

    private static int ingest(int port) throws Exception {
        Instant now = Instant.now();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < VALID; i++) {
            events.add(track("ok-" + i, "Appointment Booked", now.minusSeconds(i), ""));
        }
        events.add(track("bad-ga4", "Reserved Name", now, ""));
        events.add(track("bad-meta", "Catalog Event", now, ",\"properties\":{\"contents\":\"sku-1\"}"));
        events.add(track("bad-tiktok", "Late Event", now.minus(Duration.ofDays(8)), ""));
        events.add(track("bad-mixpanel", "Deep Event", now, ",\"properties\":{\"deep\":[[[[1]]]]}"));
        events.add(track("bad-amplitude", "Revenue Event", now, ""));
        String body = "{\"batch\":[" + String.join(",", events) + "]}";
        HttpResponse<String> r = TestServer.postBatch(port, WRITE_KEY, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return events.size();
    }

    private static String track(String messageId, String name, Instant at, String extra) {
        return """
                {"type":"track","messageId":"%s","event":"%s","timestamp":"%s","userId":"u-1","anonymousId":"a-1",
                 "context":{"userAgent":"Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0 Safari/537.36",
                   "page":{"url":"https://www.example-health.org/book"}}%s}""".formatted(messageId, name, at, extra);
    }

    private static String policy(
            String ga4, String meta, String tiktok, String mixpanel, String amplitude, String secretRef) {
        String context = """
                    context:
                      userAgent: pass
                      pageUrl: sanitize
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
                      measurementId: G-INV1
                      apiSecret: "%1$s"
                      endpoint: %2$s/mp/collect
                %5$s
                    events:
                      allow:
                        - name: "Appointment Booked"
                        - name: "Reserved Name"
                          as: "session_start"
                  - id: meta
                    type: meta
                    name: Meta
                    settings:
                      pixelId: "777"
                      accessToken: "%1$s"
                      endpoint: %3$s
                %5$s
                    events:
                      allow:
                        - name: "Appointment Booked"
                        - name: "Catalog Event"
                          properties:
                            contents: pass
                  - id: tiktok
                    type: tiktok
                    name: TikTok
                    settings:
                      pixelCode: CINV
                      accessToken: "%1$s"
                      endpoint: %4$s
                      maxEventAgeDays: "30"
                %5$s
                    events:
                      allow:
                        - name: "Appointment Booked"
                        - name: "Late Event"
                  - id: mixpanel
                    type: mixpanel
                    name: Mixpanel
                    settings:
                      projectToken: "%1$s"
                      endpoint: %6$s
                %5$s
                    events:
                      allow:
                        - name: "Appointment Booked"
                        - name: "Deep Event"
                          properties:
                            deep: pass
                  - id: amplitude
                    type: amplitude
                    name: Amplitude
                    settings:
                      apiKey: "%1$s"
                      endpoint: %7$s/2/httpapi
                %5$s
                    events:
                      allow:
                        - name: "Appointment Booked"
                        - name: "Revenue Event"
                          as: "[Amplitude] Revenue"
                """.formatted(secretRef, ga4, meta, tiktok, context, mixpanel, amplitude);
    }
}

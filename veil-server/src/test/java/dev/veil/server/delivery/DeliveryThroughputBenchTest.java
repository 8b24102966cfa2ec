package dev.veil.server.delivery;

import static dev.veil.server.delivery.Fixtures.destination;
import static dev.veil.server.delivery.Fixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery throughput to a local sink: run with {@code -Dveil.bench=true}. It prints events per second (no speed
 * assertion: figures go to docs/performance.md) and checks that every event arrived exactly once.
 */
@EnabledIfSystemProperty(named = "veil.bench", matches = "true")
class DeliveryThroughputBenchTest {
    private static final int EVENTS = Integer.getInteger("veil.bench.events", 200_000);

    @TempDir
    Path dir;

    @Test
    void delivers_a_backlog_to_a_local_sink() {
        quietLogging();
        try (TestSink sink = new TestSink();
                EngineHarness h = new EngineHarness(dir)) {
            h.maxEvents = 500;
            h.settings = DeliverySettings.DEFAULTS.withReadBatch(5000);
            h.policy.set(policy(destination("bench", sink.url())));
            for (int i = 0; i < EVENTS; i += 10_000) {
                h.log.append(Fixtures.tracks("m" + i + "-", Math.min(10_000, EVENTS - i)));
            }
            drain(h, "DELIVERY BENCH", sink::requestsReceived);
            assertThat(sink.acceptedIds()).hasSize(EVENTS).doesNotHaveDuplicates();
        }
    }

    @Test
    void delivers_a_backlog_through_the_mixpanel_connector_to_its_strict_fake() {
        quietLogging();
        try (dev.veil.fakes.FakeMixpanel fake = dev.veil.fakes.FakeMixpanel.start("1", "token", "sa", "secret");
                EngineHarness h = new EngineHarness(dir)) {
            var factory = dev.veil.destinations.spi.ConnectorFactory.loadAll().get("mixpanel");
            h.connectors =
                    d -> factory.create(d.id(), java.util.Map.of("endpoint", fake.baseUrl(), "projectToken", "token"));
            h.settings = DeliverySettings.DEFAULTS.withReadBatch(5000);
            h.policy.set(policy(destination("bench", fake.baseUrl())));
            for (int i = 0; i < EVENTS; i += 10_000) {
                h.log.append(Fixtures.tracks("m" + i + "-", Math.min(10_000, EVENTS - i)));
            }
            drain(h, "DELIVERY BENCH mixpanel", () -> fake.requests().size());
            assertThat(fake.distinctDedupKeys()).isEqualTo(EVENTS);
            assertThat(fake.violations()).isEmpty();
        }
    }

    /**
     * Every part real: the encrypted SQLite event log, the privacy engine with a realistic destination policy
     * (allowlist, masked ids, sanitized URL, PHI scanner), the Mixpanel connector and the strict fake Mixpanel.
     */
    @Test
    void delivers_a_sqlite_backlog_through_the_real_engine_and_the_mixpanel_connector() throws Exception {
        quietLogging();
        try (dev.veil.fakes.FakeMixpanel fake = dev.veil.fakes.FakeMixpanel.start("1", "token", "sa", "secret");
                dev.veil.store.sqlite.SqliteStores stores = dev.veil.store.sqlite.SqliteStores.open(
                        dir.resolve("data"),
                        dev.veil.store.MasterKey.random(),
                        dev.veil.store.EventLogOptions.defaults());
                EngineHarness h = new EngineHarness(dir)) {
            var factory = dev.veil.destinations.spi.ConnectorFactory.loadAll().get("mixpanel");
            h.log = stores.eventLog();
            h.privacy = new dev.veil.core.engine.DefaultPrivacyEngine(dev.veil.core.engine.EngineConfig.builder(
                            dev.veil.core.engine.MaskingKeyring.single("bench-secret-0123456789abcdefghij"
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .build());
            h.connectors =
                    d -> factory.create(d.id(), java.util.Map.of("endpoint", fake.baseUrl(), "projectToken", "token"));
            h.settings = DeliverySettings.DEFAULTS.withReadBatch(5000);
            h.policy.set(policy(realisticDestination("bench")));
            for (int i = 0; i < EVENTS; i += 10_000) {
                h.log.append(realisticTracks("m" + i + "-", Math.min(10_000, EVENTS - i)));
            }
            drain(
                    h,
                    "DELIVERY BENCH sqlite+engine+mixpanel",
                    () -> fake.requests().size());
            assertThat(fake.distinctDedupKeys()).isEqualTo(EVENTS);
            assertThat(fake.violations()).isEmpty();
            assertThat(fake.accepted().get(0).toString()).doesNotContain("Jane").doesNotContain("user-");
        }
    }

    /** Jetty's DEBUG logging (no logback config on the test class path) would dominate the figure. */
    private static void quietLogging() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
    }

    /** Starts delivery, waits until the destination's cursor has passed every event and prints the rate. */
    private static void drain(EngineHarness h, String label, java.util.function.IntSupplier requests) {
        long started = System.nanoTime();
        h.start();
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> h.cursor("bench") == EVENTS);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "%s: %d events in %.2f s = %.0f events/s (%d requests)%n",
                label, EVENTS, seconds, EVENTS / seconds, requests.getAsInt());
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** Track events with 12 properties (some PHI), a page URL with a query, a user id and a client IP. */
    private static java.util.List<dev.veil.core.event.RawEvent> realisticTracks(String prefix, int n)
            throws java.io.IOException {
        java.util.List<dev.veil.core.event.RawEvent> out = new java.util.ArrayList<>(n);
        java.time.Instant now = java.time.Instant.parse("2026-11-29T05:00:00Z");
        for (int i = 0; i < n; i++) {
            String id = prefix + i;
            var msg = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(("{'type':'track',"
                            + "'event':'Appointment Booked','messageId':'" + id + "','userId':'user-" + i + "',"
                            + "'anonymousId':'anon-" + i + "','properties':{'service_line':'cardiology','value':129.99,"
                            + "'currency':'USD','clinic_zip':'94110','visit_type':'new-patient','patient_name':'Jane',"
                            + "'notes':'prefers mornings','phone':'(555) 010-9999','step':3,'plan':'gold',"
                            + "'product':{'category':'visit','sku':'VISIT-30'},'items':[{'sku':'VISIT-30','qty':1}]},"
                            + "'context':{'page':{'url':'https://www.example-health.org/appointments/book?utm_source="
                            + "google&gclid=Cj" + i + "','title':'Book'},'locale':'en-US',"
                            + "'session':{'id':1772366300000,'number':3}}}")
                    .replace('\'', '"'));
            out.add(new dev.veil.core.event.RawEvent(
                    "web",
                    id,
                    dev.veil.api.EventType.TRACK,
                    now,
                    now,
                    msg,
                    "203.0.113." + (i % 250),
                    "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36",
                    false));
        }
        return out;
    }

    private static dev.veil.core.policy.DestinationPolicy realisticDestination(String id) {
        var rules = new java.util.LinkedHashMap<String, dev.veil.core.policy.FieldRule>();
        for (String key : java.util.List.of("service_line", "value", "currency", "visit_type", "product.category")) {
            rules.put(key, dev.veil.core.policy.FieldRule.of(dev.veil.core.policy.Transform.PASS));
        }
        rules.put("clinic_zip", dev.veil.core.policy.FieldRule.of(dev.veil.core.policy.Transform.ZIP3));
        return new dev.veil.core.policy.DestinationPolicy(
                id,
                "mixpanel",
                id,
                true,
                false,
                java.util.List.of(),
                java.util.Map.of(),
                dev.veil.core.policy.DestinationPolicy.Identity.DEFAULTS,
                dev.veil.core.policy.DestinationPolicy.Context.DEFAULTS,
                new dev.veil.core.policy.DestinationPolicy.Events(
                        false,
                        false,
                        false,
                        false,
                        java.util.List.of(new dev.veil.core.policy.DestinationPolicy.AllowedEvent(
                                "Appointment Booked", null, rules))),
                java.util.Map.of("step", dev.veil.core.policy.FieldRule.of(dev.veil.core.policy.Transform.PASS)),
                java.util.Map.of(),
                java.util.Map.of());
    }
}

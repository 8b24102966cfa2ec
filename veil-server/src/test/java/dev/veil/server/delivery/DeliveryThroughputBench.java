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
class DeliveryThroughputBench {
    private static final int EVENTS = Integer.getInteger("veil.bench.events", 200_000);

    @TempDir
    Path dir;

    @Test
    void delivers_a_backlog_to_a_local_sink() {
        // Jetty's DEBUG logging (no logback config on the test class path) would dominate the figure.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        try (TestSink sink = new TestSink();
                EngineHarness h = new EngineHarness(dir)) {
            h.maxEvents = 500;
            h.settings = DeliverySettings.DEFAULTS.withReadBatch(5000);
            h.policy.set(policy(destination("bench", sink.url())));
            for (int i = 0; i < EVENTS; i += 10_000) {
                h.log.append(Fixtures.tracks("m" + i + "-", Math.min(10_000, EVENTS - i)));
            }
            long started = System.nanoTime();
            h.start();
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> h.cursor("bench") == EVENTS);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    "DELIVERY BENCH: %d events in %.2f s = %.0f events/s (%d requests)%n",
                    EVENTS, seconds, EVENTS / seconds, sink.requestsReceived());
            assertThat(sink.acceptedIds()).hasSize(EVENTS).doesNotHaveDuplicates();
        }
    }

    @Test
    void delivers_a_backlog_through_the_mixpanel_connector_to_its_strict_fake() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
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
            long started = System.nanoTime();
            h.start();
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> h.cursor("bench") == EVENTS);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    "DELIVERY BENCH mixpanel: %d events in %.2f s = %.0f events/s (%d requests)%n",
                    EVENTS, seconds, EVENTS / seconds, fake.requests().size());
            assertThat(fake.distinctDedupKeys()).isEqualTo(EVENTS);
            assertThat(fake.violations()).isEmpty();
        }
    }
}

package dev.veil.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.SettingValue;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.fakes.FakeMixpanel;
import dev.veil.fakes.FakeVendor;
import dev.veil.fakes.Fault;
import dev.veil.server.testing.TestDeadLetterStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real connector against a strict fake vendor that is down for a while (5xx, then connection resets): every
 * allowed event arrives, none twice by the vendor's dedup key, and another destination is not slowed by it.
 */
class DeliveryOutageEndToEndTest {
    private static final int EVENTS = 1000;

    @TempDir
    Path dir;

    @Test
    void a_vendor_outage_delays_but_never_loses_or_doubles_events_and_leaves_others_alone() {
        try (FakeMixpanel down = FakeMixpanel.start("1", "token-down", "sa", "sa-secret");
                FakeMixpanel up = FakeMixpanel.start("2", "token-up", "sa", "sa-secret");
                EngineHarness h = new EngineHarness(dir)) {
            // The Mixpanel connector asks for 2 s between retries of a 5xx (its documented backoff): keep it short.
            down.faults()
                    .failNext(2, Fault.status(503))
                    .failNext(1, Fault.tooManyRequests(Duration.ofSeconds(1)))
                    .failNext(3, Fault.reset());
            Map<String, ConnectorFactory> factories = ConnectorFactory.loadAll();
            h.connectors = d -> factories.get(d.type()).create(d.id(), literals(d));
            h.settings = DeliverySettings.DEFAULTS
                    .withReadBatch(200)
                    .withBackoff(Duration.ofMillis(5), Duration.ofMillis(100))
                    .withBreaker(5, Duration.ofMillis(200));
            h.policy.set(Fixtures.policy(mixpanel("down", down, "token-down"), mixpanel("up", up, "token-up")));
            h.log.append(Fixtures.tracks("e", EVENTS));
            h.start();

            await().atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                assertThat(h.cursor("up")).isEqualTo(EVENTS);
                assertThat(h.cursor("down")).isEqualTo(EVENTS);
            });
            for (FakeVendor vendor : List.of(down, up)) {
                assertThat(vendor.violations()).isEmpty();
                assertThat(vendor.distinctDedupKeys()).isEqualTo(EVENTS);
                assertThat(vendor.duplicates()).isZero();
            }
            assertThat(((TestDeadLetterStore) h.deadLetters).all()).isEmpty();
            assertThat(h.counter("veil.delivery.retried", "down")).isGreaterThanOrEqualTo(6);
            assertThat(h.counter("veil.delivery.retried", "up")).isZero();
            assertThat(h.counter("veil.delivery.delivered", "up")).isEqualTo(EVENTS);
        }
    }

    private static DestinationPolicy mixpanel(String id, FakeVendor fake, String token) {
        DestinationPolicy base = Fixtures.destination(id, fake.baseUrl());
        return new DestinationPolicy(
                id,
                "mixpanel",
                id,
                true,
                false,
                List.of(),
                Map.of(
                        "endpoint", new SettingValue.Literal(fake.baseUrl()),
                        "projectToken", new SettingValue.Literal(token)),
                base.identity(),
                base.context(),
                base.events(),
                Map.of(),
                Map.of(),
                Map.of());
    }

    private static Map<String, String> literals(DestinationPolicy d) {
        Map<String, String> values = new HashMap<>();
        d.settings().forEach((k, v) -> values.put(k, String.valueOf(((SettingValue.Literal) v).value())));
        return values;
    }
}

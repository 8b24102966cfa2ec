package dev.veil.server.delivery;

import static dev.veil.server.delivery.Fixtures.destination;
import static dev.veil.server.delivery.Fixtures.policy;
import static dev.veil.server.delivery.Fixtures.track;
import static dev.veil.server.delivery.Fixtures.tracks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.veil.server.testing.TestDeadLetterStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DeliveryEngineTest {
    @TempDir
    Path dir;

    private EngineHarness h;
    private TestSink sink;
    private TestSink other;

    @BeforeEach
    void setUp() {
        h = new EngineHarness(dir);
        sink = new TestSink();
        other = new TestSink();
    }

    @AfterEach
    void tearDown() {
        sink.release();
        other.release();
        h.close();
        sink.close();
        other.close();
    }

    @Test
    void a_start_that_fails_half_way_then_a_retry_leave_one_live_set_of_meters() {
        // serve retries a failed delivery start (ServeCommand): the first attempt started "ga" (and registered its
        // meters), then failed registering "gb" as a full disk would, and was closed. The retry's meters must be
        // the ones scraped: before, the lag gauge stayed bound to the closed attempt and never moved again.
        var prometheus = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
                io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        h.registry = prometheus;
        h.policy.set(policy(destination("ga", sink.url()), destination("gb", other.url())));
        ((dev.veil.server.testing.TestEventLog) h.log).failNextRegistration(DestinationWorker.consumerId("gb"));
        org.assertj.core.api.Assertions.assertThatThrownBy(h::start).isInstanceOf(dev.veil.store.StoreException.class);
        h.engine.close();

        h.log.append(tracks("m", 30));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(30));
        await().untilAsserted(() -> assertThat(h.cursor("gb")).isEqualTo(30));
        await().untilAsserted(() -> assertThat(h.lag("ga")).isZero());
        assertThat(h.lag("gb")).isZero();
        assertThat(h.counter("veil.delivery.delivered", "ga")).isEqualTo(30);
        String scrape = prometheus.scrape();
        assertThat(scrape.lines().filter(l -> l.startsWith("veil_delivery_lag{destination=\"ga\"")))
                .containsExactly("veil_delivery_lag{destination=\"ga\"} 0.0");
        assertThat(scrape.lines().filter(l -> l.startsWith("veil_delivery_delivered_total{destination=\"ga\"")))
                .containsExactly("veil_delivery_delivered_total{destination=\"ga\"} 30.0");
    }

    @Test
    void delivers_every_allowed_event_once_in_batches_and_commits_the_cursor() {
        h.policy.set(policy(destination("ga", sink.url())));
        h.log.append(tracks("m", 250));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(250));
        assertThat(sink.acceptedIds()).hasSize(250).doesNotHaveDuplicates();
        assertThat(sink.acceptedRequests()).allSatisfy(r -> assertThat(r).hasSizeLessThanOrEqualTo(100));
        assertThat(h.counter("veil.delivery.delivered", "ga")).isEqualTo(250);
        await().untilAsserted(() -> assertThat(h.lag("ga")).isZero());
        assertThat(h.registry
                        .find("veil.delivery.request")
                        .tag("destination", "ga")
                        .timer()
                        .count())
                .isEqualTo(sink.requestsReceived());
    }

    @Test
    void events_dropped_by_policy_are_counted_by_reason_and_never_sent() {
        h.policy.set(policy(destination("ga", sink.url())));
        h.log.append(List.of(
                track("keep", "Signed Up"),
                track("drop1", "Drop Me"),
                track("drop2", "Drop Me"),
                track("red", "Redact Me")));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(4));
        assertThat(sink.acceptedIds()).containsExactlyInAnyOrder("keep", "red");
        assertThat(h.dropped("ga", "event_not_allowed")).isEqualTo(2);
        assertThat(h.counter("veil.delivery.redacted", "ga")).isEqualTo(1);
    }

    @Test
    void the_observer_sees_every_decision_of_every_destination_and_its_failure_never_stops_delivery() {
        h.policy.set(policy(destination("ga", sink.url()), destination("other", other.url())));
        java.util.Map<String, java.util.List<String>> seen = new java.util.concurrent.ConcurrentHashMap<>();
        h.observer = (destination, events, decisions) -> {
            for (int i = 0; i < events.size(); i++) {
                seen.computeIfAbsent(destination, d -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(events.get(i).messageId() + ":"
                                + (decisions.get(i) instanceof dev.veil.core.engine.Decision.Forward ? "sent" : "not"));
            }
            throw new IllegalStateException("observer bug");
        };
        h.log.append(List.of(track("keep", "Signed Up"), track("drop", "Drop Me")));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(2));
        await().untilAsserted(() -> assertThat(h.cursor("other")).isEqualTo(2));
        assertThat(seen.get("ga")).containsExactly("keep:sent", "drop:not");
        assertThat(seen.get("other")).containsExactly("keep:sent", "drop:not");
        assertThat(sink.acceptedIds()).containsExactly("keep");
    }

    @Test
    void lag_and_oldest_undelivered_age_keep_growing_while_the_vendor_hangs() {
        // the events were received at 05:00 (Fixtures); the clock says 05:10
        h.clock = Clock.fixed(java.time.Instant.parse("2026-11-29T05:10:00Z"), java.time.ZoneOffset.UTC);
        h.policy.set(policy(destination("ga", sink.url())));
        sink.hang();
        h.log.append(tracks("m", 5));
        h.start();
        await().until(() -> sink.requestsReceived() >= 1);

        // the worker is stuck in its first batch; events keep arriving
        h.log.append(tracks("later", 20));

        await().untilAsserted(() -> assertThat(h.lag("ga")).isEqualTo(25));
        assertThat(h.gauge("veil.delivery.oldest.undelivered.age", "ga")).isEqualTo(600.0);

        sink.release();
        await().untilAsserted(() -> assertThat(h.lag("ga")).isZero());
        assertThat(h.gauge("veil.delivery.oldest.undelivered.age", "ga")).isZero();
    }

    @Test
    void cursor_never_passes_an_event_whose_request_is_still_in_flight() {
        h.policy.set(policy(destination("ga", sink.url())));
        sink.hang();
        h.log.append(tracks("m", 5));
        h.start();

        await().until(() -> sink.requestsReceived() >= 1);
        assertThat(h.cursor("ga")).isZero();
        assertThat(((dev.veil.server.testing.TestEventLog) h.log).commits()).isEmpty();
        await().untilAsserted(() -> assertThat(h.lag("ga")).isEqualTo(5));

        sink.release();
        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(5));
        assertThat(sink.acceptedIds()).hasSize(5);
    }

    @Test
    void a_hanging_destination_does_not_hold_up_another() {
        h.settings = h.settings.withRequestTimeout(Duration.ofMinutes(5));
        h.policy.set(policy(destination("slow", sink.url()), destination("fast", other.url())));
        sink.hang();
        h.log.append(tracks("m", 50));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("fast")).isEqualTo(50));
        assertThat(other.acceptedIds()).hasSize(50);
        h.log.append(tracks("n", 50));
        await().untilAsserted(() -> assertThat(h.cursor("fast")).isEqualTo(100));
        assertThat(h.cursor("slow")).isZero();
        assertThat(sink.acceptedIds()).isEmpty();
    }

    @Test
    void a_restart_resumes_from_the_committed_cursor_without_resending() {
        h.policy.set(policy(destination("ga", sink.url())));
        h.log.append(tracks("a", 10));
        h.start();
        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(10));
        h.engine.close();

        h.log.append(tracks("b", 10));
        h.start();
        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(20));
        assertThat(sink.acceptedIds()).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void newly_appended_events_are_delivered_while_running() {
        h.policy.set(policy(destination("ga", sink.url())));
        h.start();
        for (int i = 0; i < 5; i++) {
            h.log.append(List.of(track("live" + i, "Signed Up")));
            h.engine.wakeUp();
        }
        await().untilAsserted(() -> assertThat(sink.acceptedIds()).hasSize(5));
    }

    @Test
    void an_applied_policy_starts_and_stops_workers_and_takes_effect_without_restart() {
        h.policy.set(policy(destination("ga", sink.url())));
        h.start();
        assertThat(h.engine.running()).containsExactly("ga");

        h.policy.set(policy(destination("ga", sink.url()), destination("mp", other.url())));
        h.engine.reconcile();
        assertThat(h.engine.running()).containsExactlyInAnyOrder("ga", "mp");
        h.log.append(tracks("m", 3));
        await().untilAsserted(() -> assertThat(other.acceptedIds()).hasSize(3));
        await().untilAsserted(() -> assertThat(sink.acceptedIds()).hasSize(3));

        h.policy.set(policy(destination("ga", sink.url(), false)));
        h.engine.reconcile();
        assertThat(h.engine.running()).containsExactly("ga");
        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(3));
        h.log.append(tracks("n", 2));
        await().untilAsserted(() ->
                assertThat(h.dropped("ga", "destination_disabled")).isEqualTo(2));
        assertThat(sink.acceptedIds()).hasSize(3);
        assertThat(h.registry
                        .find("veil.delivery.delivered")
                        .tag("destination", "mp")
                        .counter())
                .as("metrics of a removed destination are removed")
                .isNull();
    }

    @Test
    void a_destination_whose_connector_cannot_be_built_waits_and_reports_why() {
        EngineHarness broken = new EngineHarness(dir.resolve("b"));
        try (broken) {
            broken.policy.set(policy(destination("ga", sink.url())));
            broken.engine = DeliveryEngine.builder(
                            broken.log, broken.deadLetters, broken.replays, broken.privacy, broken.policy::get, d -> {
                                throw new IllegalArgumentException("destination ga settings.apiSecret: missing");
                            })
                    .build();
            broken.engine.start();
            assertThat(broken.engine.running()).isEmpty();
            assertThat(broken.engine.startFailure("ga"))
                    .hasValueSatisfying(r -> assertThat(r).contains("settings.apiSecret"));
        }
    }

    @Test
    void an_event_the_privacy_engine_chokes_on_is_dead_lettered_not_retried_forever() {
        h.privacy = (event, destination) -> {
            if (event.messageId().equals("bad")) {
                throw new IllegalStateException("bug");
            }
            return new PassThroughEngine().evaluate(event, destination);
        };
        h.policy.set(policy(destination("ga", sink.url())));
        h.log.append(List.of(track("ok", "Signed Up"), track("bad", "Signed Up")));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(2));
        assertThat(sink.acceptedIds()).containsExactly("ok");
        assertThat(((TestDeadLetterStore) h.deadLetters).all())
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("privacy engine failed"));
    }

    @Test
    @Timeout(60)
    void close_during_a_retry_wait_stops_promptly_and_leaves_the_batch_for_the_next_start() {
        h.settings = h.settings.withBackoff(Duration.ofMinutes(10), Duration.ofMinutes(10));
        h.policy.set(policy(destination("ga", sink.url())));
        sink.behave(ids -> TestSink.Answer.status(503));
        h.log.append(tracks("m", 3));
        h.start();
        await().untilAsserted(() ->
                assertThat(h.counter("veil.delivery.retried", "ga")).isEqualTo(1));

        h.engine.close();
        assertThat(h.engine.running()).isEmpty();
        assertThat(h.cursor("ga")).isZero();

        sink.behave(ids -> TestSink.Answer.OK);
        h.start();
        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(3));
        assertThat(sink.acceptedIds()).containsExactlyInAnyOrder("m0", "m1", "m2");
    }

    @Test
    void a_destination_added_later_gets_new_events_only_and_a_removed_one_releases_its_cursor() {
        h.policy.set(policy(destination("ga", sink.url())));
        h.log.append(tracks("before", 4));
        h.start();
        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(4));

        h.policy.set(policy(destination("ga", sink.url()), destination("mp", other.url())));
        h.engine.reconcile();
        h.log.append(tracks("after", 2));
        await().untilAsserted(() -> assertThat(h.cursor("mp")).isEqualTo(6));
        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(6));
        assertThat(other.acceptedIds()).containsExactlyInAnyOrder("after0", "after1");
        assertThat(sink.acceptedIds()).hasSize(6);

        h.policy.set(policy(destination("ga", sink.url())));
        h.engine.reconcile();
        assertThat(h.log.consumers()).containsOnlyKeys("dest:ga");
    }
}

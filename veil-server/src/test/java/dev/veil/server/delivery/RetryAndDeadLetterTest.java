package dev.veil.server.delivery;

import static dev.veil.server.delivery.Fixtures.destination;
import static dev.veil.server.delivery.Fixtures.policy;
import static dev.veil.server.delivery.Fixtures.track;
import static dev.veil.server.delivery.Fixtures.tracks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.veil.server.delivery.TestSink.Answer;
import dev.veil.server.testing.TestDeadLetterStore;
import dev.veil.store.DeadLetterStore.DeadLetter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetryAndDeadLetterTest {
    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T05:00:00Z"));
    private EngineHarness h;
    private TestSink sink;

    @BeforeEach
    void setUp() {
        h = new EngineHarness(dir);
        h.clock = clock;
        h.sleeper = clock.sleeper();
        h.settings = h.settings.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        sink = new TestSink();
        h.policy.set(policy(destination("ga", sink.url())));
    }

    @AfterEach
    void tearDown() {
        h.close();
        sink.close();
    }

    private List<DeadLetter> deadLetters() {
        return ((TestDeadLetterStore) h.deadLetters).all();
    }

    @Test
    void server_errors_are_retried_with_jittered_backoff_until_the_vendor_recovers() {
        AtomicInteger calls = new AtomicInteger();
        sink.behave(ids -> calls.incrementAndGet() <= 3 ? Answer.status(503) : Answer.OK);
        h.log.append(tracks("m", 5));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(5));
        assertThat(sink.acceptedIds()).hasSize(5).doesNotHaveDuplicates();
        assertThat(h.counter("veil.delivery.retried", "ga")).isEqualTo(3);
        List<Duration> sleeps = clock.sleeps();
        assertThat(sleeps).hasSize(3);
        assertThat(sleeps.get(0)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(sleeps.get(1)).isBetween(Duration.ZERO, Duration.ofSeconds(2));
        assertThat(sleeps.get(2)).isBetween(Duration.ZERO, Duration.ofSeconds(4));
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void a_retry_after_header_sets_the_wait() {
        AtomicInteger calls = new AtomicInteger();
        sink.behave(ids -> calls.incrementAndGet() == 1 ? new Answer(429, "7", "{}") : Answer.OK);
        h.log.append(tracks("m", 2));
        h.start();

        await().untilAsserted(() -> assertThat(sink.acceptedIds()).hasSize(2));
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void retries_give_up_after_the_window_into_the_dead_letter_store() {
        h.settings = h.settings.withRetryWindow(Duration.ofHours(1)).withBreaker(1000, Duration.ofMinutes(1));
        sink.behave(ids -> Answer.status(503));
        h.log.append(tracks("m", 5));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(5));
        assertThat(deadLetters())
                .hasSize(5)
                .allSatisfy(d -> assertThat(d.reason()).contains("gave up").contains("HTTP 503"));
        assertThat(h.counter("veil.delivery.dead_lettered", "ga")).isEqualTo(5);
        assertThat(sink.acceptedIds()).isEmpty();
        Duration waited = clock.sleeps().stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(waited).isLessThanOrEqualTo(Duration.ofHours(1));
        assertThat(sink.requestsReceived()).isGreaterThan(10);
    }

    @Test
    void connection_errors_are_retried_and_then_dead_lettered_with_the_reason() {
        TestSink gone = new TestSink();
        String url = gone.url();
        gone.close();
        h.settings = h.settings.withRetryWindow(Duration.ofMinutes(10));
        h.policy.set(policy(destination("ga", url)));
        h.log.append(tracks("m", 2));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(2));
        assertThat(deadLetters())
                .hasSize(2)
                .allSatisfy(d -> assertThat(d.reason()).contains("connection error"));
        assertThat(h.counter("veil.delivery.retried", "ga")).isPositive();
    }

    @Test
    void a_partial_failure_dead_letters_only_the_refused_records() {
        sink.behave(ids -> new Answer(
                207,
                "",
                "{\"failed\":[{\"id\":\"m1\",\"message\":\"properties.price: not a number\"},"
                        + "{\"id\":\"m3\",\"message\":\"time: too old\"}]}"));
        h.log.append(tracks("m", 5));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(5));
        assertThat(deadLetters())
                .extracting(d -> d.event().messageId(), DeadLetter::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("m1", "properties.price: not a number"),
                        org.assertj.core.groups.Tuple.tuple("m3", "time: too old"));
        assertThat(sink.acceptedIds()).containsExactlyInAnyOrder("m0", "m2", "m4");
        assertThat(sink.requestsReceived()).as("nothing is retried").isEqualTo(1);
        assertThat(h.counter("veil.delivery.delivered", "ga")).isEqualTo(3);
    }

    @Test
    void a_permanent_refusal_dead_letters_the_whole_request_without_retrying() {
        sink.behave(ids -> Answer.status(400));
        h.log.append(tracks("m", 3));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(3));
        assertThat(deadLetters())
                .hasSize(3)
                .allSatisfy(d -> assertThat(d.reason()).contains("HTTP 400"));
        assertThat(sink.requestsReceived()).isEqualTo(1);
        assertThat(h.engine.breakerState("ga")).contains(CircuitBreaker.State.CLOSED);
    }

    @Test
    void events_the_connector_rejects_before_sending_are_dead_lettered_and_the_rest_sent() {
        h.log.append(List.of(track("ok", "Signed Up"), track("bad", "Reject Me")));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(2));
        assertThat(sink.acceptedIds()).containsExactly("ok");
        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.event().messageId()).isEqualTo("bad");
            assertThat(d.reason()).contains("not a valid event name");
        });
    }

    @Test
    void the_circuit_breaker_stops_hammering_a_vendor_that_is_down() {
        // Without the breaker, 10 ms backoff over a 10 minute window would send tens of thousands of requests.
        h.settings = h.settings
                .withBackoff(Duration.ofMillis(10), Duration.ofMillis(10))
                .withRetryWindow(Duration.ofMinutes(10))
                .withBreaker(3, Duration.ofMinutes(1));
        sink.behave(ids -> Answer.status(503));
        h.log.append(tracks("m", 3));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(3));
        assertThat(deadLetters()).hasSize(3);
        // 3 to open, then one probe per minute of the window.
        assertThat(sink.requestsReceived()).isBetween(4, 3 + 11);
        assertThat(clock.sleeps()).anySatisfy(d -> assertThat(d).isGreaterThan(Duration.ofSeconds(50)));
    }

    @Test
    void replay_resends_dead_letters_once_even_when_requested_twice() {
        sink.behave(ids -> Answer.status(400));
        h.log.append(tracks("m", 3));
        h.start();
        await().untilAsserted(() -> assertThat(deadLetters()).hasSize(3));
        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(3));

        sink.behave(ids -> Answer.OK);
        List<Long> ids = deadLetters().stream().map(DeadLetter::id).toList();
        assertThat(h.replays.enqueue("ga", ids, clock.instant())).isEqualTo(3);
        assertThat(h.replays.enqueue("ga", ids, clock.instant())).isZero();
        h.engine.wakeUp();

        await().untilAsserted(() -> assertThat(h.replays.pending("ga", 10)).isEmpty());
        assertThat(sink.acceptedIds()).containsExactlyInAnyOrder("m0", "m1", "m2");
        assertThat(deadLetters()).allSatisfy(d -> assertThat(d.replayedAt()).isNotNull());
        assertThat(h.deadLetters.count("ga")).isZero();
    }
}

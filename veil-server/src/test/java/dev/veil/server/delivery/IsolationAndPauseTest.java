package dev.veil.server.delivery;

import static dev.veil.server.delivery.Fixtures.destination;
import static dev.veil.server.delivery.Fixtures.policy;
import static dev.veil.server.delivery.Fixtures.track;
import static dev.veil.server.delivery.Fixtures.tracks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.veil.core.event.RawEvent;
import dev.veil.server.delivery.TestSink.Answer;
import dev.veil.server.testing.TestDeadLetterStore;
import dev.veil.store.DeadLetterStore.DeadLetter;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SPI's isolation and pause outcomes end to end through the delivery engine: {@code Split} (a vendor refusing a
 * whole request because of one event), {@code Resend} (invalid events listed, nothing ingested), {@code AuthFailed}
 * (credentials refused), connector skips, and the accounting that every event ends counted exactly once.
 */
class IsolationAndPauseTest {
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

    /** A vendor that refuses a whole request when it carries any of {@code bad} (Meta's all-or-nothing batches). */
    private static Answer allOrNothing(List<String> ids, Set<String> bad) {
        return ids.stream().anyMatch(bad::contains) ? Answer.status(409) : Answer.OK;
    }

    @Test
    void a_request_refused_because_of_one_event_is_split_until_only_that_event_is_dead_lettered() {
        sink.behave(ids -> allOrNothing(ids, Set.of("m13")));
        h.log.append(tracks("m", 40));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(40));
        assertThat(sink.acceptedIds())
                .as("every good event reaches the vendor exactly once")
                .hasSize(39)
                .doesNotHaveDuplicates()
                .doesNotContain("m13");
        assertThat(deadLetters())
                .extracting(d -> d.event().messageId(), DeadLetter::reason)
                .containsExactly(tuple("m13", "HTTP 409: refused with its batch"));
        // 40 → 20 + 20 → … → 1: log2(40) rounds of halves on the bad event's side only.
        assertThat(sink.requestsReceived()).isLessThanOrEqualTo(1 + 2 * 6);
        assertThat(h.counter("veil.delivery.delivered", "ga")).isEqualTo(39);
        assertThat(h.counter("veil.delivery.dead_lettered", "ga")).isEqualTo(1);
        assertThat(h.counter("veil.delivery.resent", "ga")).isPositive();
    }

    @Test
    void two_bad_events_in_different_halves_are_both_isolated() {
        sink.behave(ids -> allOrNothing(ids, Set.of("m0", "m9")));
        h.log.append(tracks("m", 10));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(10));
        assertThat(sink.acceptedIds()).hasSize(8).doesNotHaveDuplicates().doesNotContain("m0", "m9");
        assertThat(deadLetters()).extracting(d -> d.event().messageId()).containsExactlyInAnyOrder("m0", "m9");
    }

    @Test
    void listed_invalid_events_are_dead_lettered_and_the_others_are_sent_again_once() {
        sink.behave(ids -> ids.contains("m2")
                ? new Answer(422, "", "{\"invalid\":[{\"id\":\"m2\",\"message\":\"invalid field time\"}]}")
                : Answer.OK);
        h.log.append(tracks("m", 5));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(5));
        assertThat(sink.acceptedIds()).containsExactlyInAnyOrder("m0", "m1", "m3", "m4");
        assertThat(deadLetters())
                .extracting(d -> d.event().messageId(), DeadLetter::reason)
                .containsExactly(tuple("m2", "invalid field time"));
        assertThat(sink.requestsReceived()).isEqualTo(2);
        assertThat(h.counter("veil.delivery.resent", "ga")).isEqualTo(4);
    }

    @Test
    void a_resend_answer_naming_no_event_of_the_request_falls_back_to_splitting_instead_of_looping() {
        sink.behave(ids -> ids.contains("m1")
                ? new Answer(422, "", "{\"invalid\":[{\"id\":\"not-in-request\",\"message\":\"x\"}]}")
                : Answer.OK);
        h.log.append(tracks("m", 4));
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(4));
        assertThat(sink.acceptedIds()).containsExactlyInAnyOrder("m0", "m2", "m3");
        assertThat(deadLetters()).extracting(d -> d.event().messageId()).containsExactly("m1");
    }

    @Test
    void refused_credentials_pause_the_destination_dead_letter_nothing_and_resume_when_fixed() {
        // A retry window far shorter than the pause: a paused destination must not give up on its events.
        h.settings = h.settings.withRetryWindow(Duration.ofMinutes(2)).withAuthRetryInterval(Duration.ofMinutes(5));
        AtomicBoolean fixed = new AtomicBoolean();
        sink.behave(ids -> fixed.get() ? Answer.OK : Answer.status(401));
        h.log.append(tracks("m", 3));
        h.start();

        await().untilAsserted(() -> assertThat(h.engine.paused()).containsEntry("ga", "HTTP 401: token refused"));
        assertThat(pausedGauge()).isEqualTo(1.0);
        await().until(() -> sink.requestsReceived() >= 4);
        assertThat(deadLetters()).isEmpty();
        assertThat(h.cursor("ga")).isZero();
        assertThat(clock.sleeps()).as("one probe per interval while paused").contains(Duration.ofMinutes(5));

        fixed.set(true);
        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(3));
        assertThat(sink.acceptedIds()).containsExactlyInAnyOrder("m0", "m1", "m2");
        assertThat(deadLetters()).isEmpty();
        assertThat(h.engine.paused()).isEmpty();
        assertThat(pausedGauge()).isZero();
        assertThat(h.counter("veil.delivery.delivered", "ga")).isEqualTo(3);
    }

    @Test
    void every_event_ends_counted_once_as_delivered_dropped_skipped_or_dead_lettered() {
        sink.behave(ids -> allOrNothing(ids, Set.of("vendor-refuses")));
        h.privacy = (event, destination) -> {
            if (event.messageId().equals("engine-chokes")) {
                throw new IllegalStateException("bug");
            }
            return new PassThroughEngine().evaluate(event, destination);
        };
        List<RawEvent> stream = new ArrayList<>(tracks("ok", 20));
        stream.add(track("drop1", "Drop Me"));
        stream.add(track("drop2", "Drop Me"));
        stream.add(track("skip1", "Skip Me"));
        stream.add(track("skip2", "Skip Me"));
        stream.add(track("skip3", "Skip Me"));
        stream.add(track("reject", "Reject Me"));
        stream.add(track("vendor-refuses", "Signed Up"));
        stream.add(track("engine-chokes", "Signed Up"));
        stream.add(track("forgotten", "Forget Me"));
        java.util.Collections.shuffle(stream, new java.util.Random(3));
        h.log.append(stream);
        h.start();

        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(stream.size()));
        double delivered = h.counter("veil.delivery.delivered", "ga");
        double dropped = h.dropped("ga", "event_not_allowed");
        double skipped = skipped("skip_me_not_sent");
        double unaccounted = skipped("connector_unaccounted");
        double dead = h.counter("veil.delivery.dead_lettered", "ga");
        assertThat(delivered).isEqualTo(20);
        assertThat(dropped).isEqualTo(2);
        assertThat(skipped).isEqualTo(3);
        assertThat(unaccounted)
                .as("an event a connector forgot is still counted")
                .isEqualTo(1);
        assertThat(dead).isEqualTo(3);
        assertThat(delivered + dropped + skipped + unaccounted + dead)
                .isEqualTo(h.counter("veil.delivery.read", "ga"))
                .isEqualTo(stream.size());
        assertThat(deadLetters().stream().map(d -> d.event().messageId()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("reject", "vendor-refuses", "engine-chokes");
    }

    private double skipped(String reason) {
        var c = h.registry
                .find("veil.delivery.skipped")
                .tag("destination", "ga")
                .tag("reason", reason)
                .counter();
        return c == null ? 0 : c.count();
    }

    private double pausedGauge() {
        Gauge g =
                h.registry.find("veil.delivery.paused").tag("destination", "ga").gauge();
        return g == null ? -1 : g.value();
    }
}

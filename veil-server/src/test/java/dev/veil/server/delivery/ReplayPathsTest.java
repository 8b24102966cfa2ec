package dev.veil.server.delivery;

import static dev.veil.server.delivery.Fixtures.destination;
import static dev.veil.server.delivery.Fixtures.policy;
import static dev.veil.server.delivery.Fixtures.tracks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.veil.core.event.RawEvent;
import dev.veil.server.delivery.TestSink.Answer;
import dev.veil.server.testing.TestDeadLetterStore;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.DeadLetterStore.DeadLetter;
import dev.veil.store.MasterKey;
import dev.veil.store.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead-letter replay on the paths that are not the happy one: the vendor refuses the letter again, the server
 * dies between delivering a replay and marking it replayed, and the destination left the policy.
 */
class ReplayPathsTest {
    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T05:00:00Z"));
    private final MasterKey key = MasterKey.random();
    private TestSink sink;
    private TestDeadLetterStore letters;

    @BeforeEach
    void setUp() {
        sink = new TestSink();
        letters = TestDeadLetterStore.open(dir.resolve("dlq"), key);
    }

    @AfterEach
    void tearDown() {
        sink.close();
        letters.close();
    }

    private EngineHarness harness(DeadLetterStore store) {
        EngineHarness h = new EngineHarness(dir);
        h.clock = clock;
        h.sleeper = clock.sleeper();
        h.settings = h.settings.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        h.deadLetters = store;
        h.policy.set(policy(destination("ga", sink.url())));
        return h;
    }

    /** Refused by the vendor: three events become dead letters; returns their ids. */
    private List<Long> deadLettered(EngineHarness h) {
        sink.behave(ids -> Answer.status(400));
        h.log.append(tracks("m", 3));
        h.start();
        await().untilAsserted(() -> assertThat(letters.count("ga")).isEqualTo(3));
        await().untilAsserted(() -> assertThat(h.cursor("ga")).isEqualTo(3));
        return letters.all().stream().map(DeadLetter::id).toList();
    }

    @Test
    void a_letter_refused_again_becomes_a_new_dead_letter_and_the_old_one_is_marked_replayed() {
        try (EngineHarness h = harness(letters)) {
            List<Long> first = deadLettered(h);

            h.replays.enqueue("ga", first, clock.instant());
            h.engine.wakeUp();

            await().untilAsserted(() -> assertThat(h.replays.pending("ga", 10)).isEmpty());
            assertThat(sink.acceptedIds()).isEmpty();
            List<DeadLetter> all = letters.all();
            assertThat(all).hasSize(6);
            assertThat(all.subList(0, 3))
                    .allSatisfy(d -> assertThat(d.replayedAt()).isNotNull());
            assertThat(all.subList(3, 6)).allSatisfy(d -> {
                assertThat(d.replayedAt()).isNull();
                assertThat(d.reason()).contains("400");
            });
            assertThat(all.subList(3, 6))
                    .extracting(d -> d.event().messageId())
                    .containsExactlyInAnyOrder("m0", "m1", "m2");
            assertThat(letters.count("ga")).isEqualTo(3);
        }
    }

    @Test
    void a_crash_between_delivering_a_replay_and_marking_it_replays_it_again_after_restart() {
        List<Long> ids;
        AtomicBoolean crashed = new AtomicBoolean();
        // The "crash": delivery of the replay succeeds, then the process dies before it records anything.
        DeadLetterStore dying = new Delegating(letters) {
            @Override
            public void markReplayed(List<Long> replayed, Instant at) {
                crashed.set(true);
                throw new StoreException("simulated crash before marking dead letters replayed");
            }
        };
        try (EngineHarness h = harness(dying)) {
            ids = deadLettered(h);
            sink.behave(i -> Answer.OK);
            h.replays.enqueue("ga", ids, clock.instant());
            h.engine.wakeUp();
            await().until(crashed::get);
            await().untilAsserted(() -> assertThat(sink.acceptedIds()).contains("m0", "m1", "m2"));
        }
        assertThat(letters.all()).allSatisfy(d -> assertThat(d.replayedAt()).isNull());

        // Restart on the same data directory (replay queue and dead letters survived).
        try (EngineHarness h = harness(letters)) {
            assertThat(h.replays.pending("ga", 10)).containsExactlyInAnyOrderElementsOf(ids);
            h.start();

            await().untilAsserted(() -> assertThat(h.replays.pending("ga", 10)).isEmpty());
        }
        // Delivered again (at least once: vendors deduplicate by messageId), and now marked.
        assertThat(sink.acceptedIds()).contains("m0", "m1", "m2");
        assertThat(letters.all())
                .hasSize(3)
                .allSatisfy(d -> assertThat(d.replayedAt()).isNotNull());
        assertThat(letters.count("ga")).isZero();
    }

    @Test
    void a_replay_for_a_destination_removed_from_the_policy_waits_and_loses_nothing() {
        try (EngineHarness h = harness(letters)) {
            List<Long> ids = deadLettered(h);
            TestSink other = new TestSink();
            try (other) {
                h.policy.set(policy(destination("mp", other.url())));
                h.engine.reconcile();
                await().untilAsserted(() -> assertThat(h.log.consumers()).containsOnlyKeys("dest:mp"));

                h.replays.enqueue("ga", ids, clock.instant());
                h.engine.wakeUp();
                clock.advance(Duration.ofMinutes(5));

                // Nobody delivers to "ga" any more: the letters stay dead letters, queued, not marked, not sent.
                assertThat(h.replays.pending("ga", 10)).containsExactlyInAnyOrderElementsOf(ids);
                assertThat(letters.count("ga")).isEqualTo(3);
                assertThat(other.acceptedIds()).isEmpty();

                // The destination comes back: the queued replay is delivered then.
                sink.behave(i -> Answer.OK);
                h.policy.set(policy(destination("ga", sink.url()), destination("mp", other.url())));
                h.engine.reconcile();
                await().untilAsserted(
                                () -> assertThat(h.replays.pending("ga", 10)).isEmpty());
                assertThat(sink.acceptedIds()).contains("m0", "m1", "m2");
                assertThat(letters.count("ga")).isZero();
            }
        }
    }

    /** A dead-letter store that forwards everything, for tests that override one call. */
    private static class Delegating implements DeadLetterStore {
        private final DeadLetterStore d;

        Delegating(DeadLetterStore d) {
            this.d = d;
        }

        @Override
        public void add(String destinationId, RawEvent event, String reason, Instant failedAt) {
            d.add(destinationId, event, reason, failedAt);
        }

        @Override
        public List<DeadLetter> list(String destinationId, Instant since, int max) {
            return d.list(destinationId, since, max);
        }

        @Override
        public Optional<DeadLetter> get(long id) {
            return d.get(id);
        }

        @Override
        public long count(String destinationId) {
            return d.count(destinationId);
        }

        @Override
        public void markReplayed(List<Long> ids, Instant replayedAt) {
            d.markReplayed(ids, replayedAt);
        }

        @Override
        public long purge(Instant cutoff) {
            return d.purge(cutoff);
        }
    }
}

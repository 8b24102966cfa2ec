package dev.veil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.testing.TestDeadLetterStore;
import dev.veil.server.testing.TestEventLog;
import dev.veil.store.EventLogOptions;
import dev.veil.store.TestEvents;
import dev.veil.store.TestEvents.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The purge pass over the real SQLite stores; {@code RetentionServeTest} proves that {@code serve} runs it. */
class RetentionPurgerTest {

    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

    @Test
    void purges_delivered_events_and_dead_letters_past_the_retention_and_keeps_the_rest() {
        MutableClock clock = new MutableClock(T0);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TestEventLog log = new TestEventLog(EventLogOptions.defaults().withClock(clock));
                TestDeadLetterStore letters = new TestDeadLetterStore();
                RetentionPurger purger = RetentionPurger.start(log, letters, Duration.ofDays(7), clock, registry)) {
            log.append(List.of(TestEvents.event("delivered-1", T0), TestEvents.event("delivered-2", T0)));
            log.commitCursor("dest:ga", log.headOffset());
            log.append(List.of(TestEvents.event("undelivered", T0)));
            letters.add("ga", TestEvents.event("refused", T0), "HTTP 400", T0);
            clock.advance(Duration.ofDays(6));
            letters.add("ga", TestEvents.event("refused-later", T0), "HTTP 400", clock.instant());

            assertThat(purger.purgeOnce()).isEqualTo(new RetentionPurger.Purged(0, 0));

            clock.advance(Duration.ofDays(1).plusSeconds(1));
            assertThat(purger.purgeOnce()).isEqualTo(new RetentionPurger.Purged(2, 1));
            assertThat(log.events()).extracting(e -> e.messageId()).containsExactly("undelivered");
            assertThat(letters.all()).extracting(d -> d.event().messageId()).containsExactly("refused-later");
            assertThat(registry.get("veil.retention.purged")
                            .tag("store", "events")
                            .counter()
                            .count())
                    .isEqualTo(2);
            assertThat(registry.get("veil.retention.purged")
                            .tag("store", "dead_letters")
                            .counter()
                            .count())
                    .isEqualTo(1);
        }
    }

    @Test
    void a_failing_store_is_retried_next_period_and_does_not_stop_the_other_purge() {
        MutableClock clock = new MutableClock(T0);
        try (TestEventLog log = new TestEventLog(EventLogOptions.defaults().withClock(clock));
                TestDeadLetterStore letters = new TestDeadLetterStore();
                RetentionPurger purger =
                        RetentionPurger.start(log, letters, Duration.ofDays(7), clock, new SimpleMeterRegistry())) {
            letters.add("ga", TestEvents.event("refused", T0), "HTTP 400", T0);
            clock.advance(Duration.ofDays(8));
            log.failAppends(true);

            assertThat(purger.purgeOnce()).isEqualTo(new RetentionPurger.Purged(0, 1));
        }
    }

    @Test
    void runs_every_tenth_of_the_retention_between_one_second_and_one_hour() {
        assertThat(RetentionPurger.period(Duration.ofDays(7))).isEqualTo(Duration.ofHours(1));
        assertThat(RetentionPurger.period(Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(3));
        assertThat(RetentionPurger.period(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(1));
    }
}

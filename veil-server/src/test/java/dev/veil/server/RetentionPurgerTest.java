package dev.veil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.testing.MemoryEventLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetentionPurgerTest {

    @Test
    void purges_events_older_than_the_retention_and_survives_a_failing_store() {
        MemoryEventLog log = new MemoryEventLog();
        Clock clock = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);
        try (RetentionPurger purger = RetentionPurger.start(log, Duration.ofDays(7), Duration.ofHours(1), clock)) {
            purger.purgeOnce();
            assertThat(log.lastPurgeCutoff).isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));

            log.failAppends(true);
            assertThat(purger.purgeOnce()).isZero();
        }
    }
}

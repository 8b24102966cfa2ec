package dev.veil.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff =
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new SplittableRandom(42));

    @Test
    void cap_doubles_per_attempt_and_stops_at_the_maximum() {
        assertThat(backoff.cap(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.cap(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.cap(5)).isEqualTo(Duration.ofSeconds(32));
        assertThat(backoff.cap(6)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.cap(61)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.cap(1000)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void full_jitter_stays_within_zero_and_the_cap_and_spreads_over_it() {
        for (int attempt = 0; attempt < 10; attempt++) {
            Duration cap = backoff.cap(attempt);
            List<Duration> delays = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                delays.add(backoff.delay(attempt, null));
            }
            assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, cap));
            // Full jitter, not "cap plus a little": draws land in the bottom and the top quarter alike.
            assertThat(delays).anySatisfy(d -> assertThat(d).isLessThan(cap.dividedBy(4)));
            assertThat(delays)
                    .anySatisfy(
                            d -> assertThat(d).isGreaterThan(cap.multipliedBy(3).dividedBy(4)));
        }
    }

    @Test
    void retry_after_from_the_vendor_wins_over_the_computed_delay() {
        assertThat(backoff.delay(0, Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(120));
        assertThat(backoff.delay(9, Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void a_negative_attempt_is_refused_with_the_value_named() {
        assertThatThrownBy(() -> backoff.cap(-1))
                .hasMessageContaining("backoff attempt")
                .hasMessageContaining("-1");
    }
}

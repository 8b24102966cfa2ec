package dev.veil.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void parses_rates_per_second_minute_and_hour_with_their_default_bursts() {
        assertThat(Rate.parse("200/s")).isEqualTo(new Rate(200, Duration.ofSeconds(1), 400));
        assertThat(Rate.parse("10/min")).isEqualTo(new Rate(10, Duration.ofMinutes(1), 10));
        assertThat(Rate.parse(" 5000 / h ")).isEqualTo(new Rate(5000, Duration.ofHours(1), 5000));
        assertThatThrownBy(() -> Rate.parse("fast")).hasMessageContaining("200/s, 10/min or 5000/h");
        assertThatThrownBy(() -> Rate.parse("0/s")).hasMessageContaining("positive");
    }

    @Test
    void allows_the_burst_then_refuses_with_the_wait_until_the_next_token() {
        // One token a minute: nothing refills while the test runs, however slow the machine.
        RateLimiter<String> limiter = new RateLimiter<>(new Rate(1, Duration.ofMinutes(1), 20), 100);
        for (int i = 0; i < 20; i++) {
            assertThat(limiter.tryTake("1.2.3.4", 1)).as("request %d", i).isEmpty();
        }
        var wait = limiter.tryTake("1.2.3.4", 1);
        assertThat(wait).isPresent();
        assertThat(wait.get()).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(60));
        assertThat(RateLimiter.retryAfterSeconds(wait.get())).isBetween(50L, 60L);
        assertThat(RateLimiter.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(limiter.tryTake("5.6.7.8", 1))
                .as("another key has its own bucket")
                .isEmpty();
    }

    @Test
    void a_request_larger_than_the_burst_takes_a_full_bucket_instead_of_waiting_forever() {
        RateLimiter<String> limiter = new RateLimiter<>(new Rate(1, Duration.ofMinutes(1), 500), 100);
        assertThat(limiter.tryTake("source", 2_500)).isEmpty();
        assertThat(limiter.tryTake("source", 1)).isPresent();
    }

    @Test
    void failures_block_only_once_the_bucket_is_empty_and_peeking_takes_nothing() {
        RateLimiter<String> failures = new RateLimiter<>(Rate.parse("1/min").withBurst(3), 100);
        assertThat(failures.waitForOne("ip")).isEmpty();
        failures.takeOne("ip");
        failures.takeOne("ip");
        assertThat(failures.waitForOne("ip")).isEmpty();
        assertThat(failures.waitForOne("ip")).as("peeking takes nothing").isEmpty();
        failures.takeOne("ip");
        var wait = failures.waitForOne("ip");
        assertThat(wait).isPresent();
        assertThat(RateLimiter.retryAfterSeconds(wait.get())).isBetween(50L, 60L);
    }
}

package dev.veil.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.delivery.CircuitBreaker.State;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T00:00:00Z"));
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30), clock);

    @Test
    void stays_closed_below_the_failure_threshold() {
        breaker.onFailure();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.acquire()).isZero();
    }

    @Test
    void a_success_resets_the_count_of_consecutive_failures() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void opens_at_the_threshold_and_refuses_requests_until_the_open_time_is_over() {
        failThreeTimes();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.acquire()).isEqualTo(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(20));
        assertThat(breaker.acquire()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void lets_one_probe_through_when_half_open_and_closes_on_its_success() {
        failThreeTimes();
        clock.advance(Duration.ofSeconds(30));
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.acquire()).isZero();
        assertThat(breaker.acquire())
                .as("second request while the probe is out")
                .isPositive();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.acquire()).isZero();
    }

    @Test
    void reopens_when_the_probe_fails() {
        failThreeTimes();
        clock.advance(Duration.ofSeconds(30));
        assertThat(breaker.acquire()).isZero();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.acquire()).isEqualTo(Duration.ofSeconds(30));
    }

    private void failThreeTimes() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onFailure();
    }
}

package dev.veil.server.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A per-destination circuit breaker: closed (requests flow), open (after {@code threshold} consecutive retryable
 * failures no request is sent for {@code openFor}), half-open (one probe request goes through; its success
 * closes the breaker, its failure opens it again). Permanent failures (4xx) do not count: the vendor is up.
 *
 * <p>Thread-safe: the concurrent requests of one destination share it.
 */
public final class CircuitBreaker {

    /** The breaker's state. */
    public enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int threshold;
    private final Duration openFor;
    private final Clock clock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Instant openUntil = Instant.MIN;
    private boolean probeInFlight;

    public CircuitBreaker(int threshold, Duration openFor, Clock clock) {
        if (threshold < 1) {
            throw new IllegalArgumentException("circuit breaker threshold: must be at least 1, was " + threshold);
        }
        this.threshold = threshold;
        this.openFor = Objects.requireNonNull(openFor, "openFor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Asks to send one request. Returns {@link Duration#ZERO} when it may go now (in half-open state, the caller
     * holds the single probe and must report its result), else how long to wait before asking again.
     */
    public synchronized Duration acquire() {
        Instant now = clock.instant();
        switch (state) {
            case CLOSED -> {
                return Duration.ZERO;
            }
            case OPEN -> {
                if (now.isBefore(openUntil)) {
                    return Duration.between(now, openUntil);
                }
                state = State.HALF_OPEN;
                probeInFlight = true;
                return Duration.ZERO;
            }
            case HALF_OPEN -> {
                if (!probeInFlight) {
                    probeInFlight = true;
                    return Duration.ZERO;
                }
                // Another request is probing; look again a little later rather than piling on.
                return openFor.dividedBy(4).isPositive() ? openFor.dividedBy(4) : Duration.ofMillis(1);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** The vendor answered (delivered, or refused for good): it is up. */
    public synchronized void onSuccess() {
        state = State.CLOSED;
        consecutiveFailures = 0;
        probeInFlight = false;
    }

    /** The vendor timed out, refused the connection, or answered 429/5xx. */
    public synchronized void onFailure() {
        probeInFlight = false;
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= threshold) {
            state = State.OPEN;
            openUntil = clock.instant().plus(openFor);
        }
    }

    public synchronized State state() {
        // Report OPEN as HALF_OPEN once its time is up, as the next acquire would.
        if (state == State.OPEN && !clock.instant().isBefore(openUntil)) {
            return State.HALF_OPEN;
        }
        return state;
    }
}

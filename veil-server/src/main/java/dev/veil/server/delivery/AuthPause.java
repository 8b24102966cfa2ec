package dev.veil.server.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Pauses one destination whose vendor refused its credentials or settings ({@code Outcome.AuthFailed}): while
 * paused, a single probe request goes out every {@code interval}; the first answer that is not an auth failure
 * resumes delivery. Nothing is dead-lettered while paused: the events wait.
 *
 * <p>Thread-safe: the concurrent requests of one destination share it.
 */
final class AuthPause {

    /** Why and since when a destination is paused. */
    record State(String reason, Instant since) {}

    private final Duration interval;
    private final Clock clock;
    private @Nullable State paused;
    private Instant nextProbe = Instant.MIN;
    private boolean probeInFlight;

    AuthPause(Duration interval, Clock clock) {
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The answer to {@link #acquire()}.
     *
     * @param delay zero when the request may go now, else how long to wait before asking again
     * @param probe whether the request is the pause's probe (its answer must be reported)
     */
    record Permit(Duration delay, boolean probe) {}

    /** Asks to send one request. While paused, only one probe goes out per interval. */
    synchronized Permit acquire() {
        if (paused == null) {
            return new Permit(Duration.ZERO, false);
        }
        Instant now = clock.instant();
        if (!probeInFlight && !now.isBefore(nextProbe)) {
            probeInFlight = true;
            return new Permit(Duration.ZERO, true);
        }
        Duration wait = Duration.between(now, nextProbe);
        return new Permit(wait.isPositive() ? wait : interval, false);
    }

    /**
     * The vendor refused the credentials. Returns true when this starts a pause (the caller logs it once).
     */
    synchronized boolean onAuthFailure(String reason) {
        boolean started = paused == null;
        if (started) {
            paused = new State(reason, clock.instant());
        }
        probeInFlight = false;
        nextProbe = clock.instant().plus(interval);
        return started;
    }

    /**
     * The vendor answered something other than an auth failure. Returns the pause this ends, if any (the caller
     * logs it).
     */
    synchronized Optional<State> onAnswer() {
        State ended = paused;
        paused = null;
        probeInFlight = false;
        return Optional.ofNullable(ended);
    }

    /** The probe could not reach the vendor (timeout, 5xx): still paused, probe again after the interval. */
    synchronized void onProbeUnanswered() {
        if (paused != null) {
            probeInFlight = false;
            nextProbe = clock.instant().plus(interval);
        }
    }

    synchronized Optional<State> state() {
        return Optional.ofNullable(paused);
    }
}

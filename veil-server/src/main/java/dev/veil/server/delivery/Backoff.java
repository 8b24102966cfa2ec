package dev.veil.server.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Exponential backoff with full jitter: the delay before retry {@code n} (0-based) is uniform in {@code [0,
 * min(max, base * 2^n)]}. Full jitter spreads the retries of many workers so a recovering vendor is not hit by a
 * synchronized wave. A vendor's Retry-After wins: it is the vendor telling us exactly when it wants us back.
 *
 * <p>Thread-safe when its random generator is.
 */
public final class Backoff {
    private final Duration base;
    private final Duration max;
    private final RandomGenerator random;

    public Backoff(Duration base, Duration max, RandomGenerator random) {
        this.base = Objects.requireNonNull(base, "base");
        this.max = Objects.requireNonNull(max, "max");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The upper bound of the jittered delay for retry {@code attempt} (0-based). */
    public Duration cap(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("backoff attempt: must not be negative, was " + attempt);
        }
        long maxMillis = max.toMillis();
        // Shifting past 62 bits overflows; by then the cap is max anyway.
        if (attempt >= 62) {
            return max;
        }
        long millis = base.toMillis();
        long capped = millis > (maxMillis >> attempt) ? maxMillis : millis << attempt;
        return Duration.ofMillis(Math.min(capped, maxMillis));
    }

    /** How long to wait before retry {@code attempt}; {@code retryAfter} (the vendor's header) wins when set. */
    public Duration delay(int attempt, @Nullable Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative()) {
            return retryAfter;
        }
        long capMillis = cap(attempt).toMillis();
        return Duration.ofMillis(random.nextLong(capMillis + 1));
    }
}

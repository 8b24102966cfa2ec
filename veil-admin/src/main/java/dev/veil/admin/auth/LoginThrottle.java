package dev.veil.admin.auth;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits login attempts per client (address) in fixed one-minute windows, in memory: the per-account lockout
 * stops guessing one password, this stops one client from spraying many accounts. Bounded: when it tracks too
 * many clients it forgets past windows. Thread-safe.
 */
final class LoginThrottle {

    private static final int MAX_CLIENTS = 10_000;

    private record Window(long minute, int count) {}

    private final Clock clock;
    private final int perMinute;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    LoginThrottle(Clock clock, int perMinute) {
        this.clock = clock;
        this.perMinute = perMinute;
    }

    /** Counts an attempt by {@code client}; false when the client is over its limit for this minute. */
    boolean tryAcquire(String client) {
        long minute = clock.millis() / 60_000;
        if (windows.size() > MAX_CLIENTS) {
            windows.values().removeIf(w -> w.minute() < minute);
        }
        Window w = windows.merge(
                client,
                new Window(minute, 1),
                (old, one) -> old.minute() == minute ? new Window(minute, old.count() + 1) : one);
        return w.count() <= perMinute;
    }
}

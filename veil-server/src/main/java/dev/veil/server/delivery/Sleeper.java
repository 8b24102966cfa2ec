package dev.veil.server.delivery;

import java.time.Duration;

/** Waits; injected so retry and backoff tests advance a test clock instead of waiting for real. */
@FunctionalInterface
public interface Sleeper {

    /** The real thing: {@link Thread#sleep(Duration)}. */
    Sleeper SYSTEM = duration -> {
        if (duration.isPositive()) {
            Thread.sleep(duration);
        }
    };

    /** Waits for {@code duration}; throws when the thread is interrupted (shutdown). */
    void sleep(Duration duration) throws InterruptedException;
}

package dev.veil.server.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that moves only when told, and a sleeper that moves it instead of waiting. */
final class ManualClock extends Clock {
    private volatile Instant now;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    ManualClock(Instant start) {
        this.now = start;
    }

    synchronized void advance(Duration d) {
        now = now.plus(d);
    }

    /** A sleeper that advances this clock by the requested duration and records it. */
    Sleeper sleeper() {
        return d -> {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            sleeps.add(d);
            advance(d);
            // Yield so a test's real-time loop is not a busy spin.
            Thread.sleep(1);
        };
    }

    List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}

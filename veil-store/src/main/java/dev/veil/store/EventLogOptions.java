package dev.veil.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of an {@link EventLog}.
 *
 * @param dedupWindow how long a {@code (sourceId, messageId)} pair is remembered to drop duplicates
 * @param retention how long consumed events are kept before {@code purgeExpired} deletes them
 * @param maxGroupSize the most events committed in one transaction (one fsync)
 * @param queueCapacity the most pending append/cursor requests waiting for the writer
 * @param enqueueTimeout how long {@code append} waits for room in a full queue before failing
 * @param readers number of read connections (concurrent readers)
 * @param clock time source for dedup and retention
 */
public record EventLogOptions(
        Duration dedupWindow,
        Duration retention,
        int maxGroupSize,
        int queueCapacity,
        Duration enqueueTimeout,
        int readers,
        Clock clock) {

    public EventLogOptions {
        Objects.requireNonNull(dedupWindow, "dedupWindow");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(enqueueTimeout, "enqueueTimeout");
        Objects.requireNonNull(clock, "clock");
        if (dedupWindow.isNegative() || retention.isNegative() || enqueueTimeout.isNegative()) {
            throw new IllegalArgumentException("event log options: durations must not be negative");
        }
        if (maxGroupSize < 1 || queueCapacity < 1 || readers < 1) {
            throw new IllegalArgumentException(
                    "event log options: maxGroupSize, queueCapacity and readers must be >= 1," + " were " + maxGroupSize
                            + ", " + queueCapacity + ", " + readers);
        }
    }

    /** 24 h dedup window, 7 days retention, 2,000 events per commit, 10,000 queued requests, 10 s, 4 readers. */
    public static EventLogOptions defaults() {
        return new EventLogOptions(
                Duration.ofHours(24), Duration.ofDays(7), 2_000, 10_000, Duration.ofSeconds(10), 4, Clock.systemUTC());
    }

    public EventLogOptions withDedupWindow(Duration window) {
        return new EventLogOptions(window, retention, maxGroupSize, queueCapacity, enqueueTimeout, readers, clock);
    }

    public EventLogOptions withRetention(Duration value) {
        return new EventLogOptions(dedupWindow, value, maxGroupSize, queueCapacity, enqueueTimeout, readers, clock);
    }

    public EventLogOptions withMaxGroupSize(int value) {
        return new EventLogOptions(dedupWindow, retention, value, queueCapacity, enqueueTimeout, readers, clock);
    }

    public EventLogOptions withQueueCapacity(int value) {
        return new EventLogOptions(dedupWindow, retention, maxGroupSize, value, enqueueTimeout, readers, clock);
    }

    public EventLogOptions withClock(Clock value) {
        return new EventLogOptions(dedupWindow, retention, maxGroupSize, queueCapacity, enqueueTimeout, readers, value);
    }
}

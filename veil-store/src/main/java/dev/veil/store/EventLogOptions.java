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
 * @param writerCacheKib the page cache of the SQLite log's write connection, in KiB (native memory, outside the
 *     Java heap; {@link #DEFAULT_WRITER_CACHE_KIB})
 */
public record EventLogOptions(
        Duration dedupWindow,
        Duration retention,
        int maxGroupSize,
        int queueCapacity,
        Duration enqueueTimeout,
        int readers,
        Clock clock,
        int writerCacheKib) {

    /**
     * The writer's page cache by default. It is native memory on top of the heap (SQLite's {@code malloc}), so it
     * counts fully against the process's RSS. docs/performance.md, "Native memory", measured the writer's CPU per
     * event against its size.
     */
    public static final int DEFAULT_WRITER_CACHE_KIB = 16_384;

    public EventLogOptions {
        Objects.requireNonNull(dedupWindow, "dedupWindow");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(enqueueTimeout, "enqueueTimeout");
        Objects.requireNonNull(clock, "clock");
        if (dedupWindow.isNegative() || retention.isNegative() || enqueueTimeout.isNegative()) {
            throw new IllegalArgumentException("event log options: durations must not be negative");
        }
        if (writerCacheKib < 64) {
            throw new IllegalArgumentException(
                    "event log options: writerCacheKib must be >= 64, was " + writerCacheKib);
        }
        if (maxGroupSize < 1 || queueCapacity < 1 || readers < 1) {
            throw new IllegalArgumentException(
                    "event log options: maxGroupSize, queueCapacity and readers must be >= 1," + " were " + maxGroupSize
                            + ", " + queueCapacity + ", " + readers);
        }
    }

    /**
     * 24 h dedup window, 7 days retention, 2,000 events per commit, 10,000 queued requests, 10 s, 4 readers,
     * {@link #DEFAULT_WRITER_CACHE_KIB}.
     */
    public static EventLogOptions defaults() {
        return new EventLogOptions(
                Duration.ofHours(24),
                Duration.ofDays(7),
                2_000,
                10_000,
                Duration.ofSeconds(10),
                4,
                Clock.systemUTC(),
                DEFAULT_WRITER_CACHE_KIB);
    }

    public EventLogOptions withDedupWindow(Duration window) {
        return new EventLogOptions(
                window, retention, maxGroupSize, queueCapacity, enqueueTimeout, readers, clock, writerCacheKib);
    }

    public EventLogOptions withRetention(Duration value) {
        return new EventLogOptions(
                dedupWindow, value, maxGroupSize, queueCapacity, enqueueTimeout, readers, clock, writerCacheKib);
    }

    public EventLogOptions withMaxGroupSize(int value) {
        return new EventLogOptions(
                dedupWindow, retention, value, queueCapacity, enqueueTimeout, readers, clock, writerCacheKib);
    }

    public EventLogOptions withQueueCapacity(int value) {
        return new EventLogOptions(
                dedupWindow, retention, maxGroupSize, value, enqueueTimeout, readers, clock, writerCacheKib);
    }

    public EventLogOptions withClock(Clock value) {
        return new EventLogOptions(
                dedupWindow, retention, maxGroupSize, queueCapacity, enqueueTimeout, readers, value, writerCacheKib);
    }

    public EventLogOptions withWriterCacheKib(int value) {
        return new EventLogOptions(
                dedupWindow, retention, maxGroupSize, queueCapacity, enqueueTimeout, readers, clock, value);
    }
}

package dev.veil.store;

import dev.veil.core.event.RawEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The durable, ordered log of accepted raw events. Raw events are encrypted at rest.
 *
 * <p>Thread-safe: any number of threads may append and read concurrently. {@link #append} returns only after
 * the events are durable (fsynced); concurrent appends share one commit (group commit).
 */
public interface EventLog extends AutoCloseable {

    /**
     * Appends events durably, dropping any whose {@code (sourceId, messageId)} was already appended within the
     * dedup window. Returns one result per input event, in order. Blocks until durable.
     *
     * @throws StoreException if the events could not be made durable (none of them is then acknowledged)
     */
    List<AppendResult> append(List<RawEvent> events);

    /** Events with offset greater than {@code afterOffset}, in offset order, at most {@code max}. */
    List<LogEntry> read(long afterOffset, int max);

    /** The offset of the newest event, or 0 when the log is empty. */
    long headOffset();

    /**
     * Whether appends can be made durable now: false while the store is failing (e.g. disk full), so that
     * readiness reflects it. May try a small write to find out. Stores that cannot fail this way say true.
     */
    default boolean writable() {
        return true;
    }

    /**
     * When the first event after {@code afterOffset} was received (e.g. the oldest event a consumer has not
     * processed), or empty when there is none. For metrics.
     */
    default java.util.Optional<Instant> firstReceivedAfter(long afterOffset) {
        return read(afterOffset, 1).stream().findFirst().map(e -> e.event().receivedAt());
    }

    /** Number of events in the log. */
    long size();

    /** The committed offset of a consumer (e.g. a destination's delivery cursor), 0 when new. */
    long cursor(String consumerId);

    /** Durably records that {@code consumerId} has processed everything up to {@code offset}. */
    void commitCursor(String consumerId, long offset);

    /**
     * Registers a consumer that purge must wait for, starting after {@code startOffset} (0 = from the oldest
     * retained event; {@link #headOffset()} = only new events). Does nothing if it is already registered.
     * {@link #commitCursor} registers implicitly; register up front so nothing is purged before the first
     * commit. Added for the retention rule; blocks until durable.
     */
    void registerConsumer(String consumerId, long startOffset);

    /** Forgets a consumer (e.g. a deleted destination) so it no longer holds back purge. Blocks until durable. */
    void removeConsumer(String consumerId);

    /** The registered consumers and their cursors. */
    Map<String, Long> consumers();

    /**
     * Deletes events that every registered consumer has passed and that were received before {@code cutoff};
     * with no consumer registered, deletes nothing. Forgets dedup entries older than the dedup window.
     * Returns the number of events deleted.
     */
    long purge(Instant cutoff);

    @Override
    void close();

    /** The outcome of appending one event. */
    enum AppendResult {
        ACCEPTED,
        DUPLICATE
    }

    /** An event with its log offset (offsets start at 1 and increase). */
    record LogEntry(long offset, RawEvent event) {}
}

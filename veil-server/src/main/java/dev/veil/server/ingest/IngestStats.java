package dev.veil.server.ingest;

import dev.veil.api.EventType;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running counts of accepted, duplicate and rejected messages for the console stub and the demo's log line
 * (Prometheus gets the same numbers through Micrometer). Thread-safe; counts only, never contents.
 */
public final class IngestStats {

    private final Map<EventType, LongAdder> accepted = new EnumMap<>(EventType.class);
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    public IngestStats() {
        for (EventType t : EventType.values()) {
            accepted.put(t, new LongAdder());
        }
    }

    void accepted(EventType type) {
        accepted.get(type).increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void rejected(int n) {
        rejected.add(n);
    }

    /** A consistent-enough copy of the counters. */
    public Snapshot snapshot() {
        Map<EventType, Long> byType = new EnumMap<>(EventType.class);
        accepted.forEach((t, n) -> byType.put(t, n.sum()));
        return new Snapshot(byType, duplicates.sum(), rejected.sum());
    }

    /**
     * Counts at one moment.
     *
     * @param acceptedByType accepted messages per call type
     * @param duplicates messages dropped as repeats of a {@code messageId}
     * @param rejected messages or requests refused (validation, limits, auth)
     */
    public record Snapshot(Map<EventType, Long> acceptedByType, long duplicates, long rejected) {
        public Snapshot {
            acceptedByType = Map.copyOf(acceptedByType);
        }

        public long accepted() {
            return acceptedByType.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}

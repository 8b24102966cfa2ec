package dev.veil.console.traffic;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Overview's per-minute figures: samples of the server's running totals (events accepted, deliveries,
 * failed attempts, dead letters), kept for the last {@value #KEEP_MINUTES} minutes, turned into counts per minute.
 * Counts only. Thread-safe.
 */
public final class Timeline {

    static final int KEEP_MINUTES = 120;

    /**
     * Running totals since the process started.
     *
     * @param events events accepted by ingest
     * @param delivered events the vendors accepted
     * @param failed delivery attempts that failed (retried)
     * @param deadLettered events moved to dead letters
     */
    public record Counts(long events, long delivered, long failed, long deadLettered) {
        public static final Counts ZERO = new Counts(0, 0, 0, 0);

        Counts minus(Counts o) {
            return new Counts(
                    Math.max(0, events - o.events),
                    Math.max(0, delivered - o.delivered),
                    Math.max(0, failed - o.failed),
                    Math.max(0, deadLettered - o.deadLettered));
        }
    }

    /** The counts of one minute (its start). */
    public record Minute(Instant start, Counts counts) {}

    private final TreeMap<Long, Counts> lastSampleOfMinute = new TreeMap<>();

    /** Records the running totals at {@code now}. */
    public synchronized void sample(Instant now, Counts totals) {
        long minute = now.getEpochSecond() / 60;
        lastSampleOfMinute.put(minute, totals);
        while (lastSampleOfMinute.size() > KEEP_MINUTES + 1) {
            lastSampleOfMinute.pollFirstEntry();
        }
    }

    /** The last {@code n} minutes up to and including the one of {@code now}, oldest first. */
    public synchronized List<Minute> lastMinutes(Instant now, int n) {
        long current = now.getEpochSecond() / 60;
        List<Minute> out = new ArrayList<>(n);
        for (long m = current - n + 1; m <= current; m++) {
            Counts at = lastSampleOfMinute.get(m);
            Counts counts = Counts.ZERO;
            if (at != null) {
                Map.Entry<Long, Counts> before = lastSampleOfMinute.lowerEntry(m);
                counts = at.minus(before == null ? Counts.ZERO : before.getValue());
            }
            out.add(new Minute(Instant.ofEpochSecond(m * 60), counts));
        }
        return out;
    }

    /** The newest totals, zero before the first sample. */
    public synchronized Counts totals() {
        return lastSampleOfMinute.isEmpty()
                ? Counts.ZERO
                : lastSampleOfMinute.lastEntry().getValue();
    }
}

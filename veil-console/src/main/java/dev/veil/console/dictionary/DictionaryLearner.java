package dev.veil.console.dictionary;

import dev.veil.core.engine.SafeNames;
import dev.veil.store.DictionaryStore;
import dev.veil.store.DictionaryStore.EventKey;
import dev.veil.store.DictionaryStore.FieldObservation;
import dev.veil.store.DictionaryStore.FieldType;
import dev.veil.store.EventLog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns the data dictionary from the event log, off the ingest path: its own thread reads the log in batches
 * after its position, aggregates names, types and counts in memory, and records each batch with the new
 * position in one transaction of the {@link DictionaryStore}. Ingest never waits for it.
 *
 * <p>Design note: the position lives in the dictionary store, not as an event-log consumer, so a learner that
 * stops or lags never holds back the log's retention purge (events purged before it read them are simply not
 * counted), and recording counts with the position makes every event count exactly once across crashes. A log
 * whose head is behind the stored position (a new data directory for the log) is read from its start.
 *
 * <p>Background work must not compete with ingest (on 2 cores, an unbounded learner decrypting and walking
 * every stored event took a fifth of the server's CPU under load and halved ingest throughput; docs/performance.md):
 * the thread takes at most {@link Options#share} of one core, pausing after each batch in proportion to the time
 * the batch took. Counts stay exact; under a sustained burst the dictionary lags and catches up when ingest eases.
 *
 * <p>The dictionary is capped at {@link Options#maxEntries} entries: a client inventing new keys on every event
 * cannot grow it without bound; fields beyond the cap are counted in {@link #overflow()} and not stored.
 */
public final class DictionaryLearner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DictionaryLearner.class);

    /**
     * @param batch events read per batch
     * @param idle how long to wait when the log has nothing new
     * @param maxEntries the largest dictionary
     * @param share the most of one core the background thread takes: after a batch that took {@code t}, it
     *     pauses {@code t * (1 - share) / share} (wall time, so a busy machine makes it pause longer)
     */
    public record Options(int batch, Duration idle, long maxEntries, double share) {
        /** 1,000 events a batch, 2 s idle, 20,000 entries, a tenth of one core. */
        public static final Options DEFAULTS = new Options(1_000, Duration.ofSeconds(2), 20_000, 0.1);

        /** The most a pause after a batch lasts, however long the batch took. */
        static final Duration MAX_PAUSE = Duration.ofSeconds(30);

        public Options {
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("dictionary learner: share must be in (0, 1], was " + share);
            }
        }

        /** Options with the default share (a tenth of one core). */
        public Options(int batch, Duration idle, long maxEntries) {
            this(batch, idle, maxEntries, DEFAULTS.share());
        }

        /** How long the thread pauses after a batch that took {@code spent}, to stay within {@link #share}. */
        Duration pauseAfter(Duration spent) {
            double nanos = spent.toNanos() * (1 - share) / share;
            return nanos >= MAX_PAUSE.toNanos() ? MAX_PAUSE : Duration.ofNanos((long) nanos);
        }
    }

    private final EventLog log;
    private final DictionaryStore store;
    private final Options options;
    private final FieldWalker walker = new FieldWalker(SafeNames.strict());
    private final Set<String> known = new HashSet<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long overflow;

    public DictionaryLearner(EventLog log, DictionaryStore store, Options options) {
        this.log = log;
        this.store = store;
        this.options = options;
        this.thread =
                Thread.ofPlatform().name("veil-dictionary-learner").daemon().unstarted(this::run);
    }

    public DictionaryLearner start() {
        thread.start();
        return this;
    }

    /** Fields seen but not stored because the dictionary is full. */
    public long overflow() {
        return overflow;
    }

    private void run() {
        int failures = 0;
        while (!stopping) {
            try {
                long t0 = System.nanoTime();
                if (learnOnce() == 0) {
                    Thread.sleep(options.idle().toMillis());
                } else {
                    // Ingest and delivery come first: the learner may lag behind a burst and catch up later.
                    Thread.sleep(options.pauseAfter(Duration.ofNanos(System.nanoTime() - t0)));
                }
                failures = 0;
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                if (stopping) {
                    break;
                }
                // A store failure: try again later; nothing is lost, the position did not move.
                LOG.warn("dictionary learner: {}", e.getClass().getSimpleName() + ": " + e.getMessage());
                try {
                    Thread.sleep(Math.min(60_000, 1_000L << Math.min(failures++, 6)));
                } catch (InterruptedException ie) {
                    break;
                }
            }
        }
    }

    /** Reads and records one batch; returns how many events it held. Public for tests that drive it by hand. */
    public synchronized int learnOnce() {
        if (known.isEmpty()) {
            store.entries().forEach(e -> known.add(id(e.event(), e.path())));
        }
        long from = store.learnedThrough();
        if (from > log.headOffset()) {
            from = 0;
        }
        List<EventLog.LogEntry> entries = log.read(from, options.batch());
        if (entries.isEmpty()) {
            return 0;
        }
        Map<String, Aggregate> batch = new LinkedHashMap<>();
        for (EventLog.LogEntry entry : entries) {
            EventKey key = walker.key(entry.event());
            Instant at = entry.event().receivedAt();
            aggregate(batch, key, "", EnumSet.of(FieldType.OBJECT), at);
            walker.fields(entry.event()).forEach((path, types) -> aggregate(batch, key, path, types, at));
        }
        List<FieldObservation> observations = new ArrayList<>(batch.size());
        batch.values()
                .forEach(a -> observations.add(new FieldObservation(a.event, a.path, a.types, a.count, a.lastSeen)));
        store.record(observations, entries.getLast().offset());
        return entries.size();
    }

    private void aggregate(
            Map<String, Aggregate> batch, EventKey event, String path, Set<FieldType> types, Instant at) {
        String id = id(event, path);
        Aggregate a = batch.get(id);
        if (a == null) {
            if (!known.contains(id)) {
                if (known.size() >= options.maxEntries()) {
                    overflow++;
                    return;
                }
                known.add(id);
            }
            a = new Aggregate(event, path);
            batch.put(id, a);
        }
        a.types.addAll(types);
        a.count++;
        if (at.isAfter(a.lastSeen)) {
            a.lastSeen = at;
        }
    }

    private static String id(EventKey event, String path) {
        return event.type() + '\u0000' + event.name() + '\u0000' + path;
    }

    /** One field's counts within a batch; confined to the learner thread. */
    private static final class Aggregate {
        final EventKey event;
        final String path;
        final EnumSet<FieldType> types = EnumSet.noneOf(FieldType.class);
        long count;
        Instant lastSeen = Instant.EPOCH;

        Aggregate(EventKey event, String path) {
            this.event = event;
            this.path = path;
        }
    }

    @Override
    public void close() {
        stopping = true;
        if (thread.getState() == Thread.State.NEW) {
            return;
        }
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

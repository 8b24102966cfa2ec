package dev.veil.console.traffic;

import dev.veil.console.dictionary.FieldWalker;
import dev.veil.core.engine.Decision;
import dev.veil.core.engine.SafeNames;
import dev.veil.core.event.RawEvent;
import dev.veil.store.DictionaryStore;
import dev.veil.store.DictionaryStore.EventKey;
import dev.veil.store.DictionaryStore.Flow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each destination's decisions from delivery and, on its own thread, counts which fields were released
 * (and redacted) per destination and event — flushed to the {@link DictionaryStore} every few seconds — feeds
 * the {@link RecentEvents} ring and the PHI detection counts.
 *
 * <p>Design note: {@link #evaluated} is called by delivery workers once per batch and only offers the batch to a
 * bounded queue, so delivery never waits for the console. When the queue is full (the console's thread cannot
 * keep up) the batch is not counted and {@link #skippedBatches()} says so: the counts are then a lower bound,
 * which the console states. Nothing here holds a value except the ring, which is memory only.
 */
public final class TrafficRecorder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficRecorder.class);

    /**
     * @param queue batches waiting to be counted
     * @param flushEvery how often counts are written to the store
     */
    public record Options(int queue, Duration flushEvery) {
        public static final Options DEFAULTS = new Options(1_024, Duration.ofSeconds(2));
    }

    private record Batch(String destinationId, List<RawEvent> events, List<@Nullable Decision> decisions) {}

    private final DictionaryStore store;
    private final RecentEvents recent;
    private final PhiCounts phi;
    private final Options options;
    private final Clock clock;
    private final BlockingQueue<Batch> queue;
    private final FieldWalker names = new FieldWalker(SafeNames.strict());
    private final Map<String, long[]> pending = new HashMap<>();
    private final Map<String, Flow> keys = new HashMap<>();
    private final AtomicLong skipped = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;

    public TrafficRecorder(DictionaryStore store, RecentEvents recent, PhiCounts phi, Options options, Clock clock) {
        this.store = store;
        this.recent = recent;
        this.phi = phi;
        this.options = options;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(options.queue());
        this.thread = Thread.ofPlatform().name("veil-console-traffic").daemon().unstarted(this::run);
    }

    public TrafficRecorder start() {
        thread.start();
        return this;
    }

    /**
     * One destination's decisions about a batch of events ({@code decisions.get(i)} is about {@code events.get(i)};
     * null when the engine failed on it). Never blocks.
     */
    public void evaluated(String destinationId, List<RawEvent> events, List<@Nullable Decision> decisions) {
        if (!queue.offer(new Batch(destinationId, List.copyOf(events), new ArrayList<>(decisions)))) {
            skipped.incrementAndGet();
        }
    }

    /** Batches not counted because the queue was full. */
    public long skippedBatches() {
        return skipped.get();
    }

    private void run() {
        long nextFlush = System.nanoTime() + options.flushEvery().toNanos();
        while (!stopping) {
            try {
                Batch b = queue.poll(Math.max(1, nextFlush - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (b != null) {
                    count(b);
                }
                if (System.nanoTime() >= nextFlush) {
                    flush();
                    nextFlush = System.nanoTime() + options.flushEvery().toNanos();
                }
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                LOG.warn("console traffic counts: {}", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        drainAndFlush();
    }

    /** Counts everything queued so far and writes it (tests and shutdown). */
    public synchronized void drainAndFlush() {
        Batch b;
        while ((b = queue.poll()) != null) {
            count(b);
        }
        flush();
    }

    private synchronized void count(Batch b) {
        for (int i = 0; i < b.events().size(); i++) {
            Decision d = b.decisions().get(i);
            if (d == null) {
                continue;
            }
            RawEvent event = b.events().get(i);
            EventKey key = names.key(event);
            recent.add(event, key, b.destinationId(), d);
            Set<String> redacted = new HashSet<>();
            if (d.redactions() > 0) {
                for (Decision.TraceEntry t : d.trace()) {
                    if (t.action().equals("redacted")) {
                        redacted.add(t.field());
                        phi.add(detector(t.rule()));
                    }
                }
            }
            if (d instanceof Decision.Forward f) {
                add(b.destinationId(), key, "", 1, 0);
                for (String path : ReleasedFields.of(f.event(), event.message())) {
                    add(b.destinationId(), key, path, 1, redacted.contains(path) ? 1 : 0);
                }
            }
        }
    }

    /** The detector of a trace rule such as {@code detector phone, after percent-decoding}. */
    static String detector(String rule) {
        if (!rule.startsWith("detector ")) {
            return "encoding";
        }
        int comma = rule.indexOf(',');
        return rule.substring("detector ".length(), comma < 0 ? rule.length() : comma)
                .strip();
    }

    private void add(String destination, EventKey event, String path, long released, long redacted) {
        String k = destination + '\u0000' + event.type() + '\u0000' + event.name() + '\u0000' + path;
        long[] c = pending.computeIfAbsent(k, x -> new long[2]);
        c[0] += released;
        c[1] += redacted;
        keys.putIfAbsent(k, new Flow(destination, event, path, 0, 0, Instant.EPOCH));
    }

    private synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<Flow> flows = new ArrayList<>(pending.size());
        pending.forEach((k, c) -> {
            Flow f = keys.get(k);
            flows.add(new Flow(f.destinationId(), f.event(), f.path(), c[0], c[1], now));
        });
        store.recordFlows(flows);
        pending.clear();
        keys.clear();
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

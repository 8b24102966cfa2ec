package dev.veil.server.delivery;

import dev.veil.api.SafeEvent;
import dev.veil.core.event.RawEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The fate of every event of one batch a worker delivers, so each ends counted exactly once: delivered, dropped
 * by the policy, skipped by the connector (with its reason) or dead-lettered.
 *
 * <p>Design note. Requests name their events by message id only, and a connector may put one event in several
 * requests (or, with a caller-chosen id, two events may share an id). So fates are kept per message id and apply
 * to every event with that id; when requests disagree the worst fate wins (dead-lettered over delivered over
 * skipped), and only the first transition to dead-lettered writes to the dead-letter store. Counting happens in
 * {@link #settle}, once the batch is over, so a batch abandoned by a shutdown is counted once, when it is resent.
 *
 * <p>Thread-safe: the requests of a batch report concurrently.
 */
final class BatchLedger {

    /** Where an event ended. Declared from weakest to strongest: a stronger fate replaces a weaker one. */
    enum Kind {
        SKIPPED,
        DELIVERED,
        DEAD_LETTERED
    }

    record Fate(Kind kind, String reason) {}

    /** Writes one dead letter; the ledger calls it once per event. */
    @FunctionalInterface
    interface DeadLetterSink {
        void add(RawEvent event, String reason);
    }

    private final DeadLetterSink sink;
    private final Map<String, List<RawEvent>> raw = new HashMap<>();
    private final Map<String, SafeEvent> safe = new LinkedHashMap<>();
    private final Map<String, Fate> fates = new ConcurrentHashMap<>();
    private final Map<String, Integer> dropped = new ConcurrentHashMap<>();
    private int deadLetteredUnforwarded;

    BatchLedger(DeadLetterSink sink) {
        this.sink = sink;
    }

    /** Registers an event the policy let through (before any request is sent). */
    void forward(SafeEvent event, RawEvent rawEvent) {
        raw.computeIfAbsent(event.messageId(), k -> new ArrayList<>(1)).add(rawEvent);
        safe.putIfAbsent(event.messageId(), event);
    }

    /** An event the policy dropped. */
    void dropped(String reason) {
        dropped.merge(reason, 1, Integer::sum);
    }

    /** An event that never became a safe event (the privacy engine failed on it): dead-lettered now. */
    synchronized void deadLetterRaw(RawEvent event, String reason) {
        sink.add(event, reason);
        deadLetteredUnforwarded++;
    }

    /** The forwarded events, in batch order. */
    List<SafeEvent> forwarded() {
        return List.copyOf(safe.values());
    }

    /** The safe events of these message ids (each once, unknown ids ignored), for preparing them again. */
    List<SafeEvent> events(List<String> messageIds) {
        List<SafeEvent> out = new ArrayList<>();
        for (String id : messageIds.stream().distinct().toList()) {
            SafeEvent e = safe.get(id);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    boolean knows(String messageId) {
        return safe.containsKey(messageId);
    }

    void delivered(List<String> messageIds) {
        for (String id : messageIds) {
            record(id, new Fate(Kind.DELIVERED, ""));
        }
    }

    void skipped(String messageId, String reason) {
        record(messageId, new Fate(Kind.SKIPPED, reason));
    }

    /** Dead-letters every event with this id, unless it already was. Returns false for an unknown id. */
    boolean deadLetter(String messageId, String reason) {
        if (!knows(messageId)) {
            return false;
        }
        if (record(messageId, new Fate(Kind.DEAD_LETTERED, reason))) {
            for (RawEvent event : raw.get(messageId)) {
                sink.add(event, reason);
            }
        }
        return true;
    }

    /** Sets the fate if it is stronger than the current one; returns whether this call made the change. */
    private boolean record(String messageId, Fate fate) {
        if (!knows(messageId)) {
            return false;
        }
        boolean[] changed = {false};
        fates.compute(messageId, (id, old) -> {
            if (old == null || old.kind().compareTo(fate.kind()) < 0) {
                changed[0] = true;
                return fate;
            }
            return old;
        });
        return changed[0];
    }

    /** The fate of a message id, if it has one yet. */
    @Nullable
    Fate fate(String messageId) {
        return fates.get(messageId);
    }

    /**
     * Counts every event of the batch once into {@code metrics}. Forwarded events without a fate (a connector
     * that neither sent, rejected nor skipped them) are counted as skipped with {@code connector_unaccounted}.
     *
     * @return how many forwarded events had no fate
     */
    int settle(DeliveryMetrics metrics) {
        int unaccounted = 0;
        int delivered = 0;
        int deadLettered = deadLetteredUnforwarded;
        Map<String, Integer> skipped = new HashMap<>();
        for (Map.Entry<String, List<RawEvent>> e : raw.entrySet()) {
            int n = e.getValue().size();
            Fate fate = fates.get(e.getKey());
            if (fate == null) {
                unaccounted += n;
                skipped.merge("connector_unaccounted", n, Integer::sum);
                continue;
            }
            switch (fate.kind()) {
                case DELIVERED -> delivered += n;
                case DEAD_LETTERED -> deadLettered += n;
                case SKIPPED -> skipped.merge(fate.reason(), n, Integer::sum);
            }
        }
        metrics.delivered(delivered);
        metrics.deadLettered(deadLettered);
        skipped.forEach(metrics::skipped);
        dropped.forEach(metrics::dropped);
        return unaccounted;
    }
}

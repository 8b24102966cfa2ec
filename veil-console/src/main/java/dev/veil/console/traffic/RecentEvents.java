package dev.veil.console.traffic;

import dev.veil.core.engine.Decision;
import dev.veil.core.event.RawEvent;
import dev.veil.store.DictionaryStore.EventKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live debugger's memory: the last {@code capacity} events, each as received and with every destination's
 * decision about it. In memory only and bounded — raw events hold PHI, so nothing here is ever written to disk,
 * and an event leaves when newer ones push it out (or the process ends). Thread-safe.
 */
public final class RecentEvents {

    /**
     * One recent event.
     *
     * @param id a number for links (not the message id, which the caller chose and may carry PHI)
     * @param event the raw event
     * @param key its dictionary key (name already checked for PHI)
     * @param decisions each destination's decision, as they arrive
     */
    public record Recent(long id, RawEvent event, EventKey key, Map<String, Decision> decisions) {
        /** The decisions by destination id, sorted. */
        public Map<String, Decision> sortedDecisions() {
            return Collections.unmodifiableMap(new java.util.TreeMap<>(decisions));
        }
    }

    private final int capacity;
    private final AtomicLong ids = new AtomicLong();
    private final LinkedHashMap<String, Recent> ring;

    public RecentEvents(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.ring = new LinkedHashMap<>(capacity * 2);
    }

    /** Records a destination's decision about an event, adding the event when it is new. */
    public void add(RawEvent event, EventKey key, String destinationId, Decision decision) {
        String k = event.sourceId() + '\u0000' + event.messageId();
        Recent r;
        synchronized (ring) {
            r = ring.get(k);
            if (r == null) {
                r = new Recent(ids.incrementAndGet(), event, key, new ConcurrentHashMap<>());
                ring.put(k, r);
                if (ring.size() > capacity) {
                    ring.remove(ring.keySet().iterator().next());
                }
            }
        }
        r.decisions().put(destinationId, decision);
    }

    /** The recent events, newest first. */
    public List<Recent> newestFirst() {
        List<Recent> out;
        synchronized (ring) {
            out = new ArrayList<>(ring.values());
        }
        Collections.reverse(out);
        return out;
    }

    /** One recent event by its {@link Recent#id}, if it is still in memory. */
    public Optional<Recent> get(long id) {
        synchronized (ring) {
            return ring.values().stream().filter(r -> r.id() == id).findFirst();
        }
    }

    public int capacity() {
        return capacity;
    }
}

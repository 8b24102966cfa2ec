package dev.veil.server.testing;

import dev.veil.core.event.RawEvent;
import dev.veil.store.EventLog;
import dev.veil.store.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A simple in-memory {@link EventLog} for server tests that do not need durability; dedups forever. */
public final class MemoryEventLog implements EventLog {

    private final List<RawEvent> events = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Long> cursors = new HashMap<>();
    private final List<Long> commits = new ArrayList<>();
    private volatile boolean failing;

    /** Makes every following append and head lookup fail, as a broken disk would. */
    public void failAppends(boolean value) {
        failing = value;
    }

    @Override
    public synchronized List<AppendResult> append(List<RawEvent> batch) {
        if (failing) {
            throw new StoreException("append: disk unavailable (test)");
        }
        List<AppendResult> out = new ArrayList<>();
        for (RawEvent e : batch) {
            if (seen.add(e.sourceId() + "\u0000" + e.messageId())) {
                events.add(e);
                out.add(AppendResult.ACCEPTED);
            } else {
                out.add(AppendResult.DUPLICATE);
            }
        }
        return out;
    }

    /** Everything appended, in order. */
    public synchronized List<RawEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public synchronized List<LogEntry> read(long afterOffset, int max) {
        List<LogEntry> out = new ArrayList<>();
        for (int i = (int) afterOffset; i < events.size() && out.size() < max; i++) {
            out.add(new LogEntry(i + 1, events.get(i)));
        }
        return out;
    }

    @Override
    public synchronized long headOffset() {
        if (failing) {
            throw new StoreException("head: disk unavailable (test)");
        }
        return events.size();
    }

    @Override
    public boolean writable() {
        return !failing;
    }

    @Override
    public synchronized long size() {
        return events.size();
    }

    @Override
    public synchronized long cursor(String consumerId) {
        return cursors.getOrDefault(consumerId, 0L);
    }

    @Override
    public synchronized void commitCursor(String consumerId, long offset) {
        cursors.put(consumerId, offset);
        commits.add(offset);
    }

    /** Every cursor offset committed, in order (all consumers). */
    public synchronized List<Long> commits() {
        return List.copyOf(commits);
    }

    @Override
    public synchronized void registerConsumer(String consumerId, long startOffset) {
        cursors.putIfAbsent(consumerId, startOffset);
    }

    @Override
    public synchronized void removeConsumer(String consumerId) {
        cursors.remove(consumerId);
    }

    @Override
    public synchronized Map<String, Long> consumers() {
        return Map.copyOf(cursors);
    }

    /** The cutoff of the last purge call, or null. */
    public volatile Instant lastPurgeCutoff;

    @Override
    public long purge(Instant cutoff) {
        lastPurgeCutoff = cutoff;
        if (failing) {
            throw new StoreException("purge: disk unavailable (test)");
        }
        return 0;
    }

    @Override
    public void close() {}
}

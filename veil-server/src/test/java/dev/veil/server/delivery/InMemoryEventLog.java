package dev.veil.server.delivery;

import dev.veil.core.event.RawEvent;
import dev.veil.store.EventLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A test event log in memory, until the SQLite one is on main. */
final class InMemoryEventLog implements EventLog {
    private final List<LogEntry> entries = new ArrayList<>();
    private final Map<String, Long> cursors = new HashMap<>();
    private final List<Long> commits = new ArrayList<>();

    @Override
    public synchronized List<AppendResult> append(List<RawEvent> events) {
        List<AppendResult> results = new ArrayList<>();
        for (RawEvent e : events) {
            entries.add(new LogEntry(entries.size() + 1, e));
            results.add(AppendResult.ACCEPTED);
        }
        return results;
    }

    @Override
    public synchronized List<LogEntry> read(long afterOffset, int max) {
        return entries.stream().filter(e -> e.offset() > afterOffset).limit(max).toList();
    }

    @Override
    public synchronized long headOffset() {
        return entries.size();
    }

    @Override
    public synchronized long size() {
        return entries.size();
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

    synchronized List<Long> commits() {
        return List.copyOf(commits);
    }

    @Override
    public long purge(Instant cutoff) {
        return 0;
    }

    @Override
    public void close() {}
}

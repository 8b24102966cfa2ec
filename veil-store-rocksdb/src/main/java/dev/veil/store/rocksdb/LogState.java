package dev.veil.store.rocksdb;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * What the log knows in memory of its committed state: the head offset, the number of events and the consumers'
 * cursors. Readers read it at any time; only the writer thread changes it, after a write batch is durable
 * ({@link #publish}), or when it loads it from the database (at open and after a reopen).
 */
final class LogState {

    private volatile long head;
    private volatile long size;
    private final Map<String, Long> consumers = new ConcurrentHashMap<>();

    long head() {
        return head;
    }

    long size() {
        return size;
    }

    long cursor(String consumerId) {
        return consumers.getOrDefault(consumerId, 0L);
    }

    Map<String, Long> consumers() {
        return Map.copyOf(new TreeMap<>(consumers));
    }

    /**
     * Loads the state from the database. The head never goes back: it is the highest of the stored head, the last
     * event's offset and the head known before (offsets given to a write that failed are not given out again).
     */
    void load(RocksDB db, RocksDatabase d) throws RocksDBException {
        long last = 0;
        try (RocksIterator it = db.newIterator(d.events())) {
            it.seekToLast();
            if (it.isValid()) {
                last = RocksLayout.longOf(it.key());
            }
        }
        byte[] storedHead = db.get(d.meta(), RocksLayout.META_HEAD);
        byte[] storedSize = db.get(d.meta(), RocksLayout.META_SIZE);
        head = Math.max(head, Math.max(last, storedHead == null ? 0 : RocksLayout.longOf(storedHead)));
        size = storedSize == null ? 0 : RocksLayout.longOf(storedSize);
        Map<String, Long> loaded = new TreeMap<>();
        try (RocksIterator it = db.newIterator(d.consumers())) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                loaded.put(RocksLayout.consumerId(it.key()), RocksLayout.longOf(it.value()));
            }
        }
        consumers.keySet().retainAll(loaded.keySet());
        consumers.putAll(loaded);
    }

    /** A new group's view: the committed state, changed only by the group until it is published. */
    WriteGroup begin(RocksDatabase d) {
        return new WriteGroup(d, head, size, consumers);
    }

    /** After the group's batch is durable: its head, size and consumer changes become the committed state. */
    void publish(WriteGroup g) {
        head = g.head();
        size = g.size();
        g.consumerChanges().forEach((id, cursor) -> {
            if (cursor == null) {
                consumers.remove(id);
            } else {
                consumers.put(id, cursor);
            }
        });
    }

    /** After a failed group: its offsets are never given out again. */
    void burn(WriteGroup g) {
        head = Math.max(head, g.head());
    }
}

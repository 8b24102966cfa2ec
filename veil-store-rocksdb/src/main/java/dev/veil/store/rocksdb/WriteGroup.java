package dev.veil.store.rocksdb;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One group commit in the making, confined to the writer thread: the write batch every task of the group adds
 * to, and the state as the group changes it (head, size, consumers, dedup keys taken), which later tasks of the
 * same group see and which becomes the committed state only once the batch is durable.
 */
final class WriteGroup implements AutoCloseable {

    private final RocksDatabase database;
    private final WriteBatch batch = new WriteBatch();
    private final Map<String, Long> committedConsumers;
    private final Map<String, @Nullable Long> consumerChanges = new HashMap<>();
    private final Set<ByteBuffer> dedupTaken = new HashSet<>();
    private final long startSize;
    private long head;
    private long size;

    WriteGroup(RocksDatabase database, long head, long size, Map<String, Long> committedConsumers) {
        this.database = database;
        this.head = head;
        this.size = size;
        this.startSize = size;
        this.committedConsumers = committedConsumers;
    }

    RocksDatabase database() {
        return database;
    }

    WriteBatch batch() {
        return batch;
    }

    long head() {
        return head;
    }

    long size() {
        return size;
    }

    /** The next offset, given to an accepted event. */
    long nextOffset() {
        size++;
        return ++head;
    }

    void removed(long events) {
        size -= events;
    }

    /** Whether an earlier event of this group already took {@code dedupKey}; takes it if not. */
    boolean takeDedupKey(byte[] dedupKey) {
        return !dedupTaken.add(ByteBuffer.wrap(dedupKey));
    }

    /** The consumer's cursor as this group sees it, or null when it is not registered. */
    @Nullable
    Long cursor(String consumerId) {
        if (consumerChanges.containsKey(consumerId)) {
            return consumerChanges.get(consumerId);
        }
        return committedConsumers.get(consumerId);
    }

    /** The lowest cursor of all consumers as this group sees them, or null when there is none. */
    @Nullable
    Long lowestCursor() {
        Long lowest = null;
        Set<String> ids = new HashSet<>(committedConsumers.keySet());
        ids.addAll(consumerChanges.keySet());
        for (String id : ids) {
            Long c = cursor(id);
            if (c != null && (lowest == null || c < lowest)) {
                lowest = c;
            }
        }
        return lowest;
    }

    void setCursor(String consumerId, long cursor, long updatedAt) throws RocksDBException {
        batch.put(
                database.consumers(),
                RocksLayout.consumerKey(consumerId),
                RocksLayout.consumerValue(cursor, updatedAt));
        consumerChanges.put(consumerId, cursor);
    }

    void removeConsumer(String consumerId) throws RocksDBException {
        batch.delete(database.consumers(), RocksLayout.consumerKey(consumerId));
        consumerChanges.put(consumerId, null);
    }

    Map<String, @Nullable Long> consumerChanges() {
        return consumerChanges;
    }

    /** Adds the head and size to the batch when the group changed them (in the same atomic write). */
    void finish(long committedHead) throws RocksDBException {
        if (head != committedHead) {
            batch.put(database.meta(), RocksLayout.META_HEAD, RocksLayout.longBytes(head));
        }
        if (size != startSize) {
            batch.put(database.meta(), RocksLayout.META_SIZE, RocksLayout.longBytes(size));
        }
    }

    @Override
    public void close() {
        batch.close();
    }
}

package dev.veil.store.rocksdb;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * What the event log keeps in each column family, and its byte encodings. Offsets and times are big-endian longs,
 * so that the bytewise key order is their numeric order.
 *
 * <ul>
 *   <li>{@code default} (meta): {@code key_check} → sealed constant; {@code head} → the highest offset ever given
 *       out (kept after purge, so offsets are never reused); {@code size} → number of events.
 *   <li>{@code events}: offset → receivedAt millis, source id (length-prefixed), hashed message id (32 ASCII hex
 *       characters), sealed payload. receivedAt comes first so purge reads it without parsing the rest.
 *   <li>{@code dedup}: source id, 0x00, hashed message id → seenAt millis.
 *   <li>{@code dedup_expiry}: seenAt millis, dedup key → nothing: the dedup entries in the order they expire.
 *   <li>{@code consumers}: consumer id → cursor, updatedAt millis.
 * </ul>
 */
final class RocksLayout {

    static final byte[] EVENTS = "events".getBytes(UTF_8);
    static final byte[] DEDUP = "dedup".getBytes(UTF_8);
    static final byte[] DEDUP_EXPIRY = "dedup_expiry".getBytes(UTF_8);
    static final byte[] CONSUMERS = "consumers".getBytes(UTF_8);

    static final byte[] META_KEY_CHECK = "key_check".getBytes(UTF_8);
    static final byte[] META_HEAD = "head".getBytes(UTF_8);
    static final byte[] META_SIZE = "size".getBytes(UTF_8);
    static final byte[] META_WRITE_PROBE = "write_probe".getBytes(UTF_8);

    /** Length of a hashed message id ({@code MessageIdHash}). */
    static final int HASHED_ID_LENGTH = 32;

    private RocksLayout() {}

    static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    static long longOf(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }

    static byte[] offsetKey(long offset) {
        return longBytes(offset);
    }

    /** A stored event, as read back. */
    record StoredEvent(long offset, long receivedAt, String sourceId, String hashedId, byte[] sealed) {}

    static byte[] eventValue(long receivedAt, String sourceId, String hashedId, byte[] sealed) {
        byte[] s = sourceId.getBytes(UTF_8);
        return ByteBuffer.allocate(8 + 4 + s.length + HASHED_ID_LENGTH + sealed.length)
                .putLong(receivedAt)
                .putInt(s.length)
                .put(s)
                .put(hashedId.getBytes(US_ASCII))
                .put(sealed)
                .array();
    }

    static StoredEvent event(byte[] key, byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        long receivedAt = b.getLong();
        byte[] source = new byte[b.getInt()];
        b.get(source);
        byte[] id = new byte[HASHED_ID_LENGTH];
        b.get(id);
        byte[] sealed = new byte[b.remaining()];
        b.get(sealed);
        return new StoredEvent(longOf(key), receivedAt, new String(source, UTF_8), new String(id, US_ASCII), sealed);
    }

    /** The receivedAt of a stored event, without copying the rest. */
    static long receivedAt(byte[] eventValue) {
        return ByteBuffer.wrap(eventValue, 0, 8).getLong();
    }

    static byte[] dedupKey(String sourceId, String hashedId) {
        byte[] s = sourceId.getBytes(UTF_8);
        return ByteBuffer.allocate(s.length + 1 + HASHED_ID_LENGTH)
                .put(s)
                .put((byte) 0)
                .put(hashedId.getBytes(US_ASCII))
                .array();
    }

    static byte[] expiryKey(long seenAt, byte[] dedupKey) {
        return ByteBuffer.allocate(8 + dedupKey.length)
                .putLong(seenAt)
                .put(dedupKey)
                .array();
    }

    /** The dedup key inside an expiry key. */
    static byte[] dedupKeyOf(byte[] expiryKey) {
        return Arrays.copyOfRange(expiryKey, 8, expiryKey.length);
    }

    static byte[] consumerKey(String consumerId) {
        return consumerId.getBytes(UTF_8);
    }

    static String consumerId(byte[] key) {
        return new String(key, UTF_8);
    }

    static byte[] consumerValue(long cursor, long updatedAt) {
        return ByteBuffer.allocate(16).putLong(cursor).putLong(updatedAt).array();
    }
}

package dev.veil.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.veil.core.crypto.AesGcm;
import dev.veil.core.crypto.Hkdf;
import dev.veil.core.event.RawEvent;
import dev.veil.core.event.RawEventCodec;
import dev.veil.store.EventLog.AppendResult;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * <b>A measurement prototype, not a store:</b> the write path of Veil's event log on RocksDB, for
 * {@code ./veil bench writer} to compare against {@link dev.veil.store.sqlite.SqliteEventLog#append} on the same
 * workload (issue 11, docs/performance.md "Embedded alternative: RocksDB vs SQLite writer"). The server never uses
 * it; it has no reads for delivery, cursors, retention purge or migration.
 *
 * <p>What it keeps of Veil's guarantees, so that the comparison is fair: the caller's thread encodes the event
 * ({@link RawEventCodec}) and seals it with AES-GCM under the event log's key ({@code forPurpose(master,
 * "event-log")}), the AAD binding source and keyed message-id hash, as {@code SqliteEventLog} does; the message id
 * is stored only as {@code HMAC-SHA-256(HKDF(master, "veil/event-log-ids/v1"), id)} truncated to 32 hex characters;
 * dedup is by (source, hashed id) within a window, across restarts and inside one batch; and every append is
 * acknowledged only after the write batch holding it was written to the WAL with {@code sync=true} (fsync before
 * 200). Group commit as in {@code GroupCommitWriter}: producers enqueue, one writer thread takes everything queued,
 * checks dedup with one {@code multiGet}, writes one {@link WriteBatch} and then completes every producer.
 *
 * <p>Layout: column family {@code dedup}: {@code sourceId 0x00 hashedId} → {@code offset, appendedAtMillis}
 * (16 bytes, big-endian); column family {@code events}: big-endian offset → what a SQLite {@code events} row holds
 * (source, hashed id, receivedAt, sealed payload; uncompressed: ciphertext does not compress). The head offset is recovered on open from the last key of {@code events}.
 * Thread-safe.
 */
final class RocksWriterPrototype implements AutoCloseable {

    private static final String PURPOSE = "event-log";
    private static final byte[] HEX = "0123456789abcdef".getBytes(UTF_8);
    private static final int QUEUE_CAPACITY = 10_000;
    private static final int MAX_GROUP_EVENTS = 2_000;
    private static final long MAX_TOTAL_WAL_BYTES = 256L << 20;

    static {
        RocksDB.loadLibrary();
    }

    private record Row(String sourceId, String hashedId, byte[] dedupKey, long receivedAt, byte[] payload) {

        /** What an {@code events} row of SQLite holds besides its id: source, hashed id, receivedAt, payload. */
        byte[] value() {
            byte[] s = sourceId.getBytes(UTF_8);
            return ByteBuffer.allocate(4 + s.length + 32 + 8 + payload.length)
                    .putInt(s.length)
                    .put(s)
                    .put(hashedId.getBytes(UTF_8))
                    .putLong(receivedAt)
                    .put(payload)
                    .array();
        }
    }

    private record Pending(List<Row> rows, CompletableFuture<List<AppendResult>> done) {}

    private final AesGcm gcm;
    private final SecretKeySpec idKey;
    private final ThreadLocal<Mac> macs;
    private final long dedupWindowMillis;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;
    private final ColumnFamilyHandle dedup;
    private final ColumnFamilyHandle events;
    private final WriteOptions writeOptions;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread writer;
    private volatile boolean closed;
    private long head; // writer thread only after open

    /**
     * Opens (creating if needed) a prototype log in {@code dir}.
     *
     * @param sync {@code true}: fsync the WAL before acknowledging (Veil's guarantee); {@code false} only to show
     *     what durability costs
     */
    RocksWriterPrototype(Path dir, byte[] masterKey, Duration dedupWindow, boolean sync) {
        this.gcm = AesGcm.forPurpose(masterKey, PURPOSE);
        byte[] k = Hkdf.derive(masterKey, "veil/event-log-ids/v1", 32);
        this.idKey = new SecretKeySpec(k, "HmacSHA256");
        Arrays.fill(k, (byte) 0);
        this.macs = ThreadLocal.withInitial(this::newMac);
        this.dedupWindowMillis = dedupWindow.toMillis();
        this.dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2)
                // A WAL file is deleted only when every column family's data in it is flushed; the small dedup
                // family would otherwise keep every WAL (all event bytes, twice on disk). Past this total the
                // family holding the oldest WAL is flushed.
                .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES);
        ColumnFamilyOptions defaults = new ColumnFamilyOptions();
        // Dedup probes are random point lookups of mostly absent keys: a Bloom filter answers most without I/O.
        ColumnFamilyOptions dedupOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10)));
        ColumnFamilyOptions eventOptions = new ColumnFamilyOptions().setCompressionType(CompressionType.NO_COMPRESSION);
        cfOptions.addAll(List.of(defaults, dedupOptions, eventOptions));
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaults),
                new ColumnFamilyDescriptor("dedup".getBytes(UTF_8), dedupOptions),
                new ColumnFamilyDescriptor("events".getBytes(UTF_8), eventOptions));
        try {
            this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            closeOptions();
            throw new IllegalStateException("rocks prototype: open " + dir + ": " + e.getMessage(), e);
        }
        this.dedup = handles.get(1);
        this.events = handles.get(2);
        this.writeOptions = new WriteOptions().setSync(sync);
        try (RocksIterator it = db.newIterator(events)) {
            it.seekToLast();
            head = it.isValid() ? ByteBuffer.wrap(it.key()).getLong() : 0;
        }
        this.writer =
                Thread.ofPlatform().name("rocks-prototype-writer").daemon(true).start(this::run);
    }

    /** The writer thread (for its CPU time). */
    Thread writerThread() {
        return writer;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(idKey);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("rocks prototype: HmacSHA256 unavailable", e);
        }
    }

    /** As {@code MessageIdHash.of}: 32 lowercase hex characters of HMAC-SHA-256 of the id. */
    private String hashId(String messageId) {
        byte[] digest = macs.get().doFinal(messageId.getBytes(UTF_8));
        byte[] out = new byte[32];
        for (int i = 0; i < 16; i++) {
            out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return new String(out, UTF_8);
    }

    /** As {@code SqliteEventLog.aad}: the payload is bound to its source and hashed id. */
    private static byte[] aad(String sourceId, String hashedId) {
        byte[] s = sourceId.getBytes(UTF_8);
        byte[] m = hashedId.getBytes(UTF_8);
        return ByteBuffer.allocate(8 + s.length + m.length)
                .putInt(s.length)
                .put(s)
                .putInt(m.length)
                .put(m)
                .array();
    }

    private static byte[] dedupKey(String sourceId, String hashedId) {
        byte[] s = sourceId.getBytes(UTF_8);
        byte[] m = hashedId.getBytes(UTF_8);
        return ByteBuffer.allocate(s.length + 1 + m.length)
                .put(s)
                .put((byte) 0)
                .put(m)
                .array();
    }

    private static byte[] offsetKey(long offset) {
        return ByteBuffer.allocate(8).putLong(offset).array();
    }

    /** Appends {@code batch}; returns once it is on disk (fsynced when {@code sync}), one result per event. */
    List<AppendResult> append(List<RawEvent> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        List<Row> rows = new ArrayList<>(batch.size());
        for (RawEvent e : batch) {
            Objects.requireNonNull(e, "event");
            String id = hashId(e.messageId());
            byte[] sealed = gcm.seal(RawEventCodec.encode(e), aad(e.sourceId(), id));
            rows.add(new Row(
                    e.sourceId(), id, dedupKey(e.sourceId(), id), e.receivedAt().toEpochMilli(), sealed));
        }
        Pending p = new Pending(rows, new CompletableFuture<>());
        try {
            if (closed) {
                throw new IllegalStateException("rocks prototype is closed");
            }
            queue.put(p);
            return p.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("rocks prototype: interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "rocks prototype: append failed: " + e.getCause().getMessage(), e);
        }
    }

    /** The event at {@code offset}, opened and decoded (for the prototype's own test); null when absent. */
    RawEvent read(long offset) {
        try {
            byte[] value = db.get(events, offsetKey(offset));
            if (value == null) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(value);
            byte[] source = new byte[b.getInt()];
            b.get(source);
            byte[] id = new byte[32];
            b.get(id);
            b.getLong(); // receivedAt
            byte[] sealed = new byte[b.remaining()];
            b.get(sealed);
            return RawEventCodec.decode(gcm.open(sealed, aad(new String(source, UTF_8), new String(id, UTF_8))));
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocks prototype: read: " + e.getMessage(), e);
        }
    }

    /** The last offset written. */
    long headOffset() {
        return head;
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        while (true) {
            group.clear();
            try {
                Pending first = queue.take();
                if (first.rows == null) {
                    return; // close marker
                }
                group.add(first);
            } catch (InterruptedException e) {
                return;
            }
            int events = group.getFirst().rows.size();
            Pending next;
            boolean stop = false;
            while (events < MAX_GROUP_EVENTS && (next = queue.poll()) != null) {
                if (next.rows == null) {
                    stop = true;
                    break;
                }
                group.add(next);
                events += next.rows.size();
            }
            commit(group);
            if (stop) {
                return;
            }
        }
    }

    private void commit(List<Pending> group) {
        List<byte[]> keys = new ArrayList<>();
        List<ColumnFamilyHandle> cfs = new ArrayList<>();
        for (Pending p : group) {
            for (Row r : p.rows) {
                keys.add(r.dedupKey);
                cfs.add(dedup);
            }
        }
        long now = System.currentTimeMillis();
        long windowStart = now - dedupWindowMillis;
        long offset = head;
        List<List<AppendResult>> results = new ArrayList<>(group.size());
        try (WriteBatch batch = new WriteBatch()) {
            List<byte[]> existing = db.multiGetAsList(cfs, keys);
            Map<ByteBuffer, Boolean> inGroup = new HashMap<>();
            int k = 0;
            for (Pending p : group) {
                AppendResult[] rs = new AppendResult[p.rows.size()];
                for (int i = 0; i < rs.length; i++, k++) {
                    Row r = p.rows.get(i);
                    byte[] old = existing.get(k);
                    boolean known = old != null && ByteBuffer.wrap(old).getLong(8) >= windowStart;
                    if (known || inGroup.putIfAbsent(ByteBuffer.wrap(r.dedupKey), Boolean.TRUE) != null) {
                        rs[i] = AppendResult.DUPLICATE;
                        continue;
                    }
                    offset++;
                    batch.put(
                            dedup,
                            r.dedupKey,
                            ByteBuffer.allocate(16).putLong(offset).putLong(now).array());
                    batch.put(events, offsetKey(offset), r.value());
                    rs[i] = AppendResult.ACCEPTED;
                }
                results.add(Arrays.asList(rs));
            }
            if (batch.count() > 0) {
                db.write(writeOptions, batch);
            }
            head = offset;
        } catch (RocksDBException | RuntimeException e) {
            for (Pending p : group) {
                p.done.completeExceptionally(e);
            }
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            group.get(i).done.complete(results.get(i));
        }
    }

    /** Commits what is queued, stops the writer and closes the database (the WAL is replayed on reopen). */
    @Override
    public void close() {
        closed = true;
        try {
            queue.put(new Pending(null, null));
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        try {
            db.closeE();
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocks prototype: close: " + e.getMessage(), e);
        } finally {
            writeOptions.close();
            closeOptions();
        }
    }

    private void closeOptions() {
        dbOptions.close();
        cfOptions.forEach(ColumnFamilyOptions::close);
    }
}

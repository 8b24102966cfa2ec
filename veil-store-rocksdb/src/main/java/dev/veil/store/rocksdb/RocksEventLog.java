package dev.veil.store.rocksdb;

import dev.veil.core.event.RawEvent;
import dev.veil.store.EventLog;
import dev.veil.store.EventLogOptions;
import dev.veil.store.EventLogSealing;
import dev.veil.store.MasterKey;
import dev.veil.store.StoreException;
import dev.veil.store.sqlite.SqliteEventLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventLog} on RocksDB ({@code eventLog: rocksdb}): {@code events.rocksdb/} in the data directory, every
 * write an fsynced write batch, group commit through one writer thread ({@link RocksWriter}), concurrent
 * reads. Same guarantees as the SQLite log: an append returns only once durable; dedup by keyed message-id hash
 * within the dedup window, across restarts; payloads sealed exactly as SQLite seals them ({@link EventLogSealing});
 * offsets increase and are never reused, also after purge; a wrong master key is refused at open. Thread-safe.
 *
 * <p>Why RocksDB: the message-id hashes are random, so SQLite's dedup index takes a random B-tree page write per
 * event; RocksDB appends every write to its WAL and sorts in memory, so the writer thread does about a third of
 * the work per event (docs/performance.md). Layout: {@link RocksLayout}. Native memory: {@link RocksDatabase}.
 *
 * <p>Encoding and sealing run on the caller's thread; the writer only checks dedup ({@code multiGet}) and builds the
 * batch. Purge deletes the events in offset order up to the first one that is still needed (not passed by every
 * consumer, or received at or after the cutoff) with one range delete per chunk, then forgets expired dedup keys
 * in the order they expire.
 */
public final class RocksEventLog implements EventLog {

    /** Directory of the event log inside the data directory. */
    public static final String DIR_NAME = "events.rocksdb";

    private static final Logger LOG = LoggerFactory.getLogger(RocksEventLog.class);
    private static final int PURGE_CHUNK = 5_000;
    private static final long PROBE_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();
    /** A write probe's size: a few KB, so that it needs free space as an append does. */
    private static final int PROBE_BYTES = 16_384;

    private final RocksDatabase database;
    private final EventLogSealing sealing;
    private final EventLogOptions options;
    private final LogState state = new LogState();
    private final @Nullable RocksWriter writer;
    private final AtomicLong lastProbe = new AtomicLong(System.nanoTime() - PROBE_INTERVAL_NANOS);
    private final SecureRandom random = new SecureRandom();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RocksEventLog(RocksDatabase database, EventLogSealing sealing, EventLogOptions options) {
        this.database = database;
        this.sealing = sealing;
        this.options = options;
        try {
            checkKey();
            state.load(database.db(), database);
        } catch (RocksDBException | RuntimeException e) {
            database.close();
            throw e instanceof RocksDBException r
                    ? new StoreException("open event log " + database.dir() + ": " + r.getMessage(), r)
                    : (RuntimeException) e;
        }
        this.writer = database.readOnly()
                ? null
                : new RocksWriter(
                        database, state, options.queueCapacity(), options.maxGroupSize(), options.enqueueTimeout());
    }

    /**
     * Opens (creating if needed) {@code dataDir/events.rocksdb}.
     *
     * @throws StoreException if the data directory holds a SQLite event log ({@code events.db}), if the log was
     *     written under a different master key, or if another process has it open
     */
    public static RocksEventLog open(Path dataDir, MasterKey key, EventLogOptions options) {
        Path sqlite = dataDir.resolve(SqliteEventLog.FILE_NAME);
        if (Files.exists(sqlite)) {
            throw new StoreException("open event log " + dataDir.resolve(DIR_NAME) + ": the data directory already"
                    + " holds a SQLite event log (" + SqliteEventLog.FILE_NAME + "); Veil keeps one event log per data"
                    + " directory: set 'eventLog: sqlite', or use a new data directory for RocksDB");
        }
        RocksEventLog log = new RocksEventLog(
                RocksDatabase.open(dataDir.resolve(DIR_NAME), false), EventLogSealing.of(key), options);
        LOG.info(
                "event log open: dir={} kind=rocksdb events={} head={} key={}",
                log.database.dir(),
                log.size(),
                log.headOffset(),
                key.fingerprint());
        return log;
    }

    /**
     * Opens {@code dataDir/events.rocksdb} read-only, e.g. while the server has it open: it sees what was durable at
     * open, and refuses every write.
     */
    public static RocksEventLog openReadOnly(Path dataDir, MasterKey key, EventLogOptions options) {
        return new RocksEventLog(RocksDatabase.open(dataDir.resolve(DIR_NAME), true), EventLogSealing.of(key), options);
    }

    /** Whether {@code dataDir} holds a RocksDB event log. */
    public static boolean existsIn(Path dataDir) {
        return Files.isDirectory(dataDir.resolve(DIR_NAME));
    }

    private void checkKey() throws RocksDBException {
        RocksDB db = database.db();
        byte[] sealed = db.get(database.meta(), RocksLayout.META_KEY_CHECK);
        if (sealed == null) {
            if (database.readOnly()) {
                throw new StoreException("open event log " + database.dir() + " read-only: it holds no key check");
            }
            try (WriteBatch b = new WriteBatch()) {
                b.put(database.meta(), RocksLayout.META_KEY_CHECK, sealing.sealKeyCheck());
                db.write(database.syncWrites(), b);
            }
            return;
        }
        if (!sealing.keyCheckOpens(sealed)) {
            throw new StoreException(EventLogSealing.wrongKeyMessage(database.dir()));
        }
    }

    private RocksWriter writer(String operation) {
        if (writer == null) {
            throw new StoreException(operation + ": the event log " + database.dir() + " is open read-only");
        }
        return writer;
    }

    /** One sealed event on its way into the log. */
    private record Row(byte[] dedupKey, byte[] value) {}

    @Override
    public List<AppendResult> append(List<RawEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<Row> rows = new ArrayList<>(events.size());
        for (RawEvent e : events) {
            Objects.requireNonNull(e, "event");
            String id = sealing.hashId(e.messageId());
            byte[] sealed = sealing.seal(e, id);
            rows.add(new Row(
                    RocksLayout.dedupKey(e.sourceId(), id),
                    RocksLayout.eventValue(e.receivedAt().toEpochMilli(), e.sourceId(), id, sealed)));
        }
        String op = "event log append of " + rows.size() + " events";
        return writer(op).submit(op, new AppendTask(rows));
    }

    private final class AppendTask extends RocksWriter.Task<List<AppendResult>> {
        private final List<Row> rows;

        AppendTask(List<Row> rows) {
            this.rows = rows;
        }

        @Override
        int weight() {
            return rows.size();
        }

        @Override
        List<AppendResult> apply(WriteGroup g) throws RocksDBException {
            RocksDatabase d = g.database();
            long now = options.clock().millis();
            long windowStart = now - options.dedupWindow().toMillis();
            List<byte[]> keys = new ArrayList<>(rows.size());
            rows.forEach(r -> keys.add(r.dedupKey()));
            List<byte[]> seen = d.db().multiGetAsList(java.util.Collections.nCopies(keys.size(), d.dedup()), keys);
            AppendResult[] results = new AppendResult[rows.size()];
            byte[] seenNow = RocksLayout.longBytes(now);
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                byte[] old = seen.get(i);
                // An entry is refreshed (the event accepted again) only once it left the window, as in SQLite.
                boolean known = old != null && RocksLayout.longOf(old) >= windowStart;
                if (known || g.takeDedupKey(r.dedupKey())) {
                    results[i] = AppendResult.DUPLICATE;
                    continue;
                }
                if (old != null) {
                    g.batch().delete(d.expiry(), RocksLayout.expiryKey(RocksLayout.longOf(old), r.dedupKey()));
                }
                g.batch().put(d.dedup(), r.dedupKey(), seenNow);
                g.batch().put(d.expiry(), RocksLayout.expiryKey(now, r.dedupKey()), new byte[0]);
                g.batch().put(d.events(), RocksLayout.offsetKey(g.nextOffset()), r.value());
                results[i] = AppendResult.ACCEPTED;
            }
            return Arrays.asList(results);
        }
    }

    @Override
    public List<LogEntry> read(long afterOffset, int max) {
        if (max <= 0) {
            return List.of();
        }
        List<RocksLayout.StoredEvent> stored = database.read("event log read", (db, d) -> {
            List<RocksLayout.StoredEvent> out = new ArrayList<>(Math.min(max, 1_000));
            try (RocksIterator it = db.newIterator(d.events())) {
                for (it.seek(firstKeyAfter(afterOffset)); it.isValid() && out.size() < max; it.next()) {
                    out.add(RocksLayout.event(it.key(), it.value()));
                }
                it.status();
            }
            return out;
        });
        // Decrypt outside the database lock.
        List<LogEntry> entries = new ArrayList<>(stored.size());
        for (RocksLayout.StoredEvent s : stored) {
            entries.add(new LogEntry(s.offset(), sealing.open(s.offset(), s.sourceId(), s.hashedId(), s.sealed())));
        }
        return entries;
    }

    /** The key to seek to for the events after {@code afterOffset} (offsets are positive; any lower means all). */
    private static byte[] firstKeyAfter(long afterOffset) {
        return RocksLayout.offsetKey(
                afterOffset < 0 ? 0 : afterOffset == Long.MAX_VALUE ? afterOffset : afterOffset + 1);
    }

    /** Reads only the stored receivedAt: nothing is decrypted. */
    @Override
    public Optional<Instant> firstReceivedAfter(long afterOffset) {
        return database.read("event log first received after " + afterOffset, (db, d) -> {
            try (RocksIterator it = db.newIterator(d.events())) {
                it.seek(firstKeyAfter(afterOffset));
                if (!it.isValid()) {
                    it.status();
                    return Optional.<Instant>empty();
                }
                return Optional.of(Instant.ofEpochMilli(RocksLayout.receivedAt(it.value())));
            }
        });
    }

    @Override
    public long headOffset() {
        return state.head();
    }

    @Override
    public long size() {
        return state.size();
    }

    /**
     * Whether appends are durable. After a failed write (disk full, I/O error) this is false until a write succeeds
     * again; while false, each call (at most once a second) tries a small real write, so readiness comes back when
     * space does even if no client is sending.
     */
    @Override
    public boolean writable() {
        if (writer == null) {
            return false;
        }
        if (!writer.failing()) {
            return true;
        }
        long now = System.nanoTime();
        long last = lastProbe.get();
        if (now - last >= PROBE_INTERVAL_NANOS && lastProbe.compareAndSet(last, now)) {
            byte[] probe = new byte[PROBE_BYTES];
            random.nextBytes(probe);
            try {
                writer.submit("event log write probe", new RocksWriter.Task<Void>() {
                    @Override
                    Void apply(WriteGroup g) throws RocksDBException {
                        g.batch().put(g.database().meta(), RocksLayout.META_WRITE_PROBE, probe);
                        return null;
                    }
                });
            } catch (StoreException e) {
                return false;
            }
        }
        return !writer.failing();
    }

    /** Requests (appends, cursor commits) waiting for the writer: a gauge for metrics. */
    public int pendingWrites() {
        return writer == null ? 0 : writer.pending();
    }

    /** Write batches made durable since open; with the number of appends it shows how well commits are grouped. */
    public long commits() {
        return writer == null ? 0 : writer.commits();
    }

    /** Events committed by the writer since open (accepted and duplicates answered), for metrics. */
    public long committedEvents() {
        return writer == null ? 0 : writer.events();
    }

    /** Seconds the writer spent in durable writes (WAL append and fsync) since open, for metrics. */
    public double writeSeconds() {
        return writer == null ? 0 : writer.writeNanos() / 1e9;
    }

    /** The durability settings of the live database (tests assert them: a regression to non-sync fails). */
    public RocksDurability durability() {
        return RocksDurability.of(database.syncWrites(), database.dbOptions());
    }

    @Override
    public long cursor(String consumerId) {
        return state.cursor(consumerId);
    }

    @Override
    public Map<String, Long> consumers() {
        return state.consumers();
    }

    @Override
    public void commitCursor(String consumerId, long offset) {
        requireOffset(offset);
        String op = "event log commit cursor of consumer " + consumerId;
        writer(op).submit(op, new RocksWriter.Task<Void>() {
            @Override
            Void apply(WriteGroup g) throws RocksDBException {
                g.setCursor(consumerId, offset, options.clock().millis());
                return null;
            }
        });
    }

    @Override
    public void registerConsumer(String consumerId, long startOffset) {
        requireOffset(startOffset);
        String op = "event log register consumer " + consumerId;
        writer(op).submit(op, new RocksWriter.Task<Void>() {
            @Override
            Void apply(WriteGroup g) throws RocksDBException {
                if (g.cursor(consumerId) == null) {
                    g.setCursor(consumerId, startOffset, options.clock().millis());
                }
                return null;
            }
        });
    }

    @Override
    public void removeConsumer(String consumerId) {
        String op = "event log remove consumer " + consumerId;
        writer(op).submit(op, new RocksWriter.Task<Void>() {
            @Override
            Void apply(WriteGroup g) throws RocksDBException {
                g.removeConsumer(consumerId);
                return null;
            }
        });
    }

    private static void requireOffset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("event log cursor: offset must be >= 0, was " + offset);
        }
    }

    /**
     * Deletes, in chunks so appends can interleave, the events in offset order up to the first one some consumer
     * has not passed or that was received at or after {@code cutoff} (nothing when no consumer is registered), then
     * the dedup entries older than the dedup window. Events are received in offset order, so this deletes what the
     * SQLite log deletes unless the clock went back; then purge waits until the later event is old enough too.
     */
    @Override
    public long purge(Instant cutoff) {
        long cutoffMillis = cutoff.toEpochMilli();
        long deleted = 0;
        long lastDeleted = 0;
        while (true) {
            PurgeEventsChunk chunk = new PurgeEventsChunk(cutoffMillis);
            int n = writer("event log purge").submit("event log purge", chunk);
            deleted += n;
            lastDeleted = Math.max(lastDeleted, chunk.last);
            if (n < PURGE_CHUNK) {
                break;
            }
        }
        if (deleted > 0) {
            compactPurged(lastDeleted);
        }
        long dedupBefore = options.clock().millis() - options.dedupWindow().toMillis();
        long forgotten = 0;
        while (true) {
            int n = writer("event log purge dedup").submit("event log purge dedup", new PurgeDedupChunk(dedupBefore));
            forgotten += n;
            if (n < PURGE_CHUNK) {
                break;
            }
        }
        LOG.info(
                "event log purge: deleted {} events, forgot {} dedup entries, {} events left",
                deleted,
                forgotten,
                size());
        return deleted;
    }

    /** How long consumed events are kept (the options' retention), for the periodic purge. */
    public Duration retention() {
        return options.retention();
    }

    /** {@link #purge} with the cutoff {@code now - retention} from the options. */
    public long purgeExpired() {
        return purge(options.clock().instant().minus(options.retention()));
    }

    /**
     * Rewrites the table files that held the purged events, so their sealed payloads leave the disk now rather than
     * whenever compaction would reach them (with few writes, possibly never). Runs beside the writer.
     */
    private void compactPurged(long lastDeleted) {
        long t0 = System.nanoTime();
        database.read("event log compact purged events", (db, d) -> {
            db.compactRange(d.events(), RocksLayout.offsetKey(0), RocksLayout.offsetKey(lastDeleted + 1));
            return null;
        });
        LOG.info(
                "event log purge: compacted the purged range in {} ms",
                Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }

    /** Bytes of the events' table files (not the WAL), for tests. */
    long eventTableBytes() {
        return database.read(
                "event log table size", (db, d) -> db.getLongProperty(d.events(), "rocksdb.total-sst-files-size"));
    }

    /** Flushes the memtables to table files, for tests. */
    void flush() {
        database.read("event log flush", (db, d) -> {
            try (org.rocksdb.FlushOptions f = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
                db.flush(f, List.of(d.meta(), d.events(), d.dedup(), d.expiry(), d.consumers()));
            }
            return null;
        });
    }

    private static final class PurgeEventsChunk extends RocksWriter.Task<Integer> {
        private final long cutoffMillis;
        /** The last offset this chunk deleted (read by the caller after the chunk is durable). */
        private volatile long last;

        PurgeEventsChunk(long cutoffMillis) {
            this.cutoffMillis = cutoffMillis;
        }

        @Override
        boolean exclusive() {
            return true;
        }

        @Override
        Integer apply(WriteGroup g) throws RocksDBException {
            Long passedByAll = g.lowestCursor();
            if (passedByAll == null) {
                return 0; // nobody has consumed anything: keep everything
            }
            RocksDatabase d = g.database();
            int n = 0;
            long first = -1;
            long lastOffset = -1;
            try (RocksIterator it = d.db().newIterator(d.events())) {
                for (it.seekToFirst(); it.isValid() && n < PURGE_CHUNK; it.next()) {
                    long offset = RocksLayout.longOf(it.key());
                    if (offset > passedByAll || RocksLayout.receivedAt(it.value()) >= cutoffMillis) {
                        break;
                    }
                    first = first < 0 ? offset : first;
                    lastOffset = offset;
                    n++;
                }
                it.status();
            }
            if (n > 0) {
                g.batch().deleteRange(d.events(), RocksLayout.offsetKey(first), RocksLayout.offsetKey(lastOffset + 1));
                g.removed(n);
                last = lastOffset;
            }
            return n;
        }
    }

    private static final class PurgeDedupChunk extends RocksWriter.Task<Integer> {
        private final long before;

        PurgeDedupChunk(long before) {
            this.before = before;
        }

        @Override
        boolean exclusive() {
            return true;
        }

        @Override
        Integer apply(WriteGroup g) throws RocksDBException {
            RocksDatabase d = g.database();
            int n = 0;
            try (RocksIterator it = d.db().newIterator(d.expiry())) {
                for (it.seekToFirst(); it.isValid() && n < PURGE_CHUNK; it.next()) {
                    byte[] key = it.key();
                    long seenAt = RocksLayout.longOf(key);
                    if (seenAt >= before) {
                        break;
                    }
                    byte[] dedupKey = RocksLayout.dedupKeyOf(key);
                    byte[] current = d.db().get(d.dedup(), dedupKey);
                    // The entry may have been refreshed since (accepted again outside the window): keep it then.
                    if (current != null && RocksLayout.longOf(current) == seenAt) {
                        g.batch().delete(d.dedup(), dedupKey);
                    }
                    g.batch().delete(d.expiry(), key);
                    n++;
                }
                it.status();
            }
            return n;
        }
    }

    /** Writes what is queued, stops the writer and closes the database. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return; // the native objects must be freed once
        }
        if (writer != null) {
            writer.close();
        }
        database.close();
        LOG.info("event log closed: dir={}", database.dir());
    }
}

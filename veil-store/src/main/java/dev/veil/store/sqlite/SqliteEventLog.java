package dev.veil.store.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.veil.core.crypto.AesGcm;
import dev.veil.core.event.RawEvent;
import dev.veil.core.event.RawEventCodec;
import dev.veil.store.EventLog;
import dev.veil.store.EventLogOptions;
import dev.veil.store.EventLogSealing;
import dev.veil.store.MasterKey;
import dev.veil.store.MessageIdHash;
import dev.veil.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link EventLog}: {@code events.db} in the data directory, WAL mode, {@code synchronous=FULL},
 * group commit through one writer thread ({@link GroupCommitWriter}), concurrent reads on a small pool of
 * read connections. Thread-safe.
 *
 * <p>Encoding and AES-GCM sealing happen on the caller's thread, so the writer thread only runs SQL. The AAD
 * of each payload binds its {@code sourceId} and {@code messageId}, so a payload moved to another row fails to
 * open. Dedup, cursor commits and purge all go through the writer, so they are serialized with appends.
 *
 * <p>Throughput: the writer runs each chunk of up to {@value #ROWS_PER_STATEMENT} events as two multi-row
 * statements ({@link AppendStatements}) and never checkpoints the WAL in the normal case
 * ({@link WalCheckpointer} does that on its own connection), so its time per group is SQL plus one fsync.
 */
public final class SqliteEventLog implements EventLog {

    /** File name of the event log inside the data directory. */
    public static final String FILE_NAME = "events.db";

    private static final Logger LOG = LoggerFactory.getLogger(SqliteEventLog.class);
    private static final String PURPOSE = "event-log";
    private static final int PURGE_CHUNK = 5_000;
    /** Rows per multi-row statement: few native calls per event, 4 parameters each (SQLite allows 32,766). */
    static final int ROWS_PER_STATEMENT = 50;

    /**
     * Page size of a new {@code events.db}. A sealed event (~2 KB for a typical 1.5 KB event) does not fit twice in
     * a 4 KB page, so with SQLite's default every event took a page of its own; 8 KB pages hold three, for
     * about 12 % less CPU per event on the writer thread and a third less disk (docs/performance.md, "Event-log
     * page size"). Files made with 4 KB pages keep them (the page size is in the file header).
     */
    static final int NEW_FILE_PAGE_SIZE = 8_192;

    /** The writer checkpoints itself only as a backstop, when the WAL reaches this size. */
    private static final long WRITER_AUTOCHECKPOINT_BYTES = 64L << 20;

    private static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(200);

    private static final long PROBE_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();
    /** A write probe's size: a few pages, so that it needs free space as an append does. */
    private static final int PROBE_BYTES = 16_384;

    private static final byte[] KEY_CHECK = "veil event log key check".getBytes(UTF_8);

    private final Path file;
    private final AesGcm gcm;
    private final MessageIdHash ids;
    private final EventLogOptions options;
    private final GroupCommitWriter writer;
    private final WalCheckpointer checkpointer;
    private final BlockingQueue<Connection> readers;
    private final List<Connection> allReaders = new ArrayList<>();
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong size = new AtomicLong();
    private final AppendStatements statements = new AppendStatements();
    private final AtomicLong lastProbe = new AtomicLong(System.nanoTime() - PROBE_INTERVAL_NANOS);

    private SqliteEventLog(
            Path file, AesGcm gcm, MessageIdHash ids, EventLogOptions options, Connection writeConnection) {
        this.file = file;
        this.gcm = gcm;
        this.ids = ids;
        this.options = options;
        this.readers = new ArrayBlockingQueue<>(options.readers());
        try {
            try (Statement s = writeConnection.createStatement()) {
                head.set(longQuery(s, "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)"));
                size.set(longQuery(s, "SELECT count(*) FROM events"));
            }
            checkKey(writeConnection);
            long rewritten = MessageIdMigration.migrate(writeConnection, gcm, ids);
            if (rewritten > 0) {
                LOG.info("event log {}: replaced the message ids of {} events by keyed hashes", file, rewritten);
            }
        } catch (SQLException e) {
            SqliteFiles.closeQuietly(writeConnection);
            throw new StoreException("open event log " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            SqliteFiles.closeQuietly(writeConnection);
            throw e;
        }
        Connection checkpointConnection;
        try {
            for (int i = 0; i < options.readers(); i++) {
                Connection c = SqliteFiles.open(file, true);
                allReaders.add(c);
                readers.add(c);
            }
            writerSettings(writeConnection, options);
            checkpointConnection = SqliteFiles.open(file, false);
        } catch (SQLException | RuntimeException e) {
            allReaders.forEach(SqliteFiles::closeQuietly);
            SqliteFiles.closeQuietly(writeConnection);
            throw e instanceof SQLException se
                    ? new StoreException("open event log " + file + ": " + se.getMessage(), se)
                    : (RuntimeException) e;
        }
        this.checkpointer = new WalCheckpointer("event-log", checkpointConnection, CHECKPOINT_INTERVAL);
        // The writer thread starts last; if it cannot start, the checkpointer is stopped again.
        try {
            this.writer = new GroupCommitWriter(
                    "event-log",
                    writeConnection,
                    () -> openWriteConnection(file, options),
                    options.queueCapacity(),
                    options.maxGroupSize(),
                    options.enqueueTimeout());
        } catch (RuntimeException e) {
            checkpointer.close();
            allReaders.forEach(SqliteFiles::closeQuietly);
            SqliteFiles.closeQuietly(writeConnection);
            throw e;
        }
    }

    private static void writerSettings(Connection c, EventLogOptions options) throws SQLException {
        try (Statement s = c.createStatement()) {
            // See WalCheckpointer: the writer only checkpoints as a backstop when the WAL reaches 64 MB.
            s.execute("PRAGMA wal_autocheckpoint=" + WRITER_AUTOCHECKPOINT_BYTES / SqliteFiles.pageSize(c));
            // The dedup index is probed at random (message ids): keep more of it in memory than the 2 MB default.
            // Native memory outside the heap, so it is sized against RSS (EventLogOptions.DEFAULT_WRITER_CACHE_KIB).
            s.execute("PRAGMA cache_size=-" + options.writerCacheKib());
        }
    }

    /** A new write connection for the writer to start clean with after a failed commit. */
    private static Connection openWriteConnection(Path file, EventLogOptions options) {
        Connection c = SqliteFiles.open(file, false);
        try {
            writerSettings(c, options);
            return c;
        } catch (SQLException e) {
            SqliteFiles.closeQuietly(c);
            throw new StoreException("reopen event log " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens (creating and migrating if needed) {@code dataDir/events.db}.
     *
     * @throws StoreException if the file cannot be opened or was written under a different master key
     */
    public static SqliteEventLog open(Path dataDir, MasterKey key, EventLogOptions options) {
        Path file = dataDir.resolve(FILE_NAME);
        SqliteFiles.createPrivate(file);
        SqliteFiles.initPageSize(file, NEW_FILE_PAGE_SIZE);
        Connection write = SqliteFiles.open(file, false);
        SqliteFiles.migrate(file, "events");
        byte[] master = key.bytes();
        try {
            SqliteEventLog log = new SqliteEventLog(
                    file, AesGcm.forPurpose(master, PURPOSE), new MessageIdHash(master), options, write);
            LOG.info(
                    "event log open: file={} events={} head={} key={}",
                    file,
                    log.size(),
                    log.headOffset(),
                    key.fingerprint());
            return log;
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    private void checkKey(Connection c) throws SQLException {
        byte[] sealed = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE name = 'key_check'");
                ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                sealed = rs.getBytes(1);
            }
        }
        if (sealed == null) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta(name, value) VALUES ('key_check', ?)")) {
                ps.setBytes(1, gcm.seal(KEY_CHECK, KEY_CHECK));
                ps.executeUpdate();
            }
            return;
        }
        try {
            gcm.open(sealed, KEY_CHECK);
        } catch (AesGcm.OpenFailedException e) {
            throw new StoreException(EventLogSealing.wrongKeyMessage(file));
        }
    }

    /** The payload AAD, shared with every embedded backend ({@link EventLogSealing#aad}). */
    static byte[] aad(String sourceId, String messageId) {
        return EventLogSealing.aad(sourceId, messageId);
    }

    /**
     * One sealed event on its way into the log.
     *
     * @param messageId the keyed hash of the event's message id ({@link MessageIdHash}), never the id itself
     */
    record Row(String sourceId, String messageId, long receivedAt, byte[] payload) {}

    @Override
    public List<AppendResult> append(List<RawEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<Row> rows = new ArrayList<>(events.size());
        for (RawEvent e : events) {
            Objects.requireNonNull(e, "event");
            String id = ids.of(e.messageId());
            byte[] sealed = gcm.seal(RawEventCodec.encode(e), aad(e.sourceId(), id));
            rows.add(new Row(e.sourceId(), id, e.receivedAt().toEpochMilli(), sealed));
        }
        return writer.submit("event log append of " + rows.size() + " events", new AppendTask(rows));
    }

    private final class AppendTask extends GroupCommitWriter.Task<List<AppendResult>> {
        private final List<Row> rows;
        private int accepted;
        private long lastOffset;

        AppendTask(List<Row> rows) {
            this.rows = rows;
        }

        @Override
        int weight() {
            return rows.size();
        }

        @Override
        List<AppendResult> apply(Connection c) throws SQLException {
            long now = options.clock().millis();
            long windowStart = now - options.dedupWindow().toMillis();
            AppendResult[] results = new AppendResult[rows.size()];
            accepted = 0;
            for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
                List<Row> chunk = rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
                List<Row> fresh = statements.dedup(c, chunk, now, windowStart);
                for (int i = 0, f = 0; i < chunk.size(); i++) {
                    boolean isFresh = f < fresh.size() && fresh.get(f) == chunk.get(i);
                    results[from + i] = isFresh ? AppendResult.ACCEPTED : AppendResult.DUPLICATE;
                    f += isFresh ? 1 : 0;
                }
                if (!fresh.isEmpty()) {
                    statements.insert(c, fresh);
                    accepted += fresh.size();
                }
            }
            if (accepted > 0) {
                lastOffset = statements.lastInsertRowid(c);
            }
            return Arrays.asList(results);
        }

        @Override
        void committed(List<AppendResult> result) {
            if (accepted > 0) {
                size.addAndGet(accepted);
                head.accumulateAndGet(lastOffset, Math::max);
            }
        }
    }

    @Override
    public List<LogEntry> read(long afterOffset, int max) {
        if (max <= 0) {
            return List.of();
        }
        record Sealed(long offset, String sourceId, String messageId, byte[] payload) {}
        List<Sealed> sealed = new ArrayList<>(Math.min(max, 1_000));
        withReader("event log read", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, source_id, message_id, payload FROM events WHERE id > ? ORDER BY id LIMIT ?")) {
                ps.setLong(1, afterOffset);
                ps.setInt(2, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sealed.add(new Sealed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4)));
                    }
                }
            }
            return null;
        });
        // Decrypt after the reader connection is back in the pool.
        List<LogEntry> entries = new ArrayList<>(sealed.size());
        for (Sealed s : sealed) {
            byte[] plain;
            try {
                plain = gcm.open(s.payload(), aad(s.sourceId(), s.messageId()));
            } catch (AesGcm.OpenFailedException e) {
                throw new StoreException(
                        "event log read: event at offset " + s.offset() + " cannot be decrypted: " + e.getMessage());
            }
            try {
                entries.add(new LogEntry(s.offset(), RawEventCodec.decode(plain)));
            } catch (IllegalArgumentException e) {
                throw new StoreException("event log read: event at offset " + s.offset() + ": " + e.getMessage());
            }
        }
        return entries;
    }

    /** Reads only the row's plaintext time column: nothing is decrypted. */
    @Override
    public java.util.Optional<Instant> firstReceivedAfter(long afterOffset) {
        return withReader("event log first received after " + afterOffset, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT received_at FROM events WHERE id > ? ORDER BY id LIMIT 1")) {
                ps.setLong(1, afterOffset);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? java.util.Optional.of(Instant.ofEpochMilli(rs.getLong(1)))
                            : java.util.Optional.<Instant>empty();
                }
            }
        });
    }

    @Override
    public long headOffset() {
        return head.get();
    }

    @Override
    public long size() {
        return size.get();
    }

    /**
     * Whether appends commit. After a failed commit (disk full, I/O error) this is false until a commit
     * succeeds again; while false, each call (at most once a second) tries a small real write, so readiness
     * comes back when space does even if no client is sending.
     */
    @Override
    public boolean writable() {
        if (!writer.failing()) {
            return true;
        }
        long now = System.nanoTime();
        long last = lastProbe.get();
        if (now - last >= PROBE_INTERVAL_NANOS && lastProbe.compareAndSet(last, now)) {
            try {
                writer.submit("event log write probe", sql(c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement("INSERT INTO meta(name, value) VALUES ('write_probe', randomblob(?))"
                                    + " ON CONFLICT(name) DO UPDATE SET value = excluded.value")) {
                        ps.setInt(1, PROBE_BYTES);
                        return ps.executeUpdate();
                    }
                }));
            } catch (StoreException e) {
                return false;
            }
        }
        return !writer.failing();
    }

    /** Requests (appends, cursor commits) waiting for the writer: a gauge for metrics. */
    public int pendingWrites() {
        return writer.pending();
    }

    /** Transactions committed since open; with the number of appends it shows how well commits are grouped. */
    public long commits() {
        return writer.commits();
    }

    /** Background WAL checkpoints run since open. */
    public long checkpoints() {
        return checkpointer.checkpoints();
    }

    /** The writer connection's {@code wal_autocheckpoint}, in pages (for tests). */
    int writerAutocheckpointPages() {
        return writer.submit("event log read wal_autocheckpoint", sql(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA wal_autocheckpoint")) {
                rs.next();
                return rs.getInt(1);
            }
        }));
    }

    /** What the writer thread did since open: commits, events per commit, SQL time and fsync time. */
    public WriterStats writerStats() {
        return writer.stats();
    }

    @Override
    public long cursor(String consumerId) {
        Long value = withReader("event log cursor of consumer " + consumerId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT cursor FROM consumers WHERE consumer_id = ?")) {
                ps.setString(1, consumerId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
        return value;
    }

    @Override
    public Map<String, Long> consumers() {
        return withReader("event log consumers", c -> {
            Map<String, Long> out = new LinkedHashMap<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT consumer_id, cursor FROM consumers ORDER BY consumer_id")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return Map.copyOf(out);
        });
    }

    @Override
    public void commitCursor(String consumerId, long offset) {
        requireOffset(offset);
        String op = "event log commit cursor of consumer " + consumerId;
        writer.submit(op, sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO consumers(consumer_id, cursor, updated_at) VALUES (?, ?, ?) ON CONFLICT(consumer_id)"
                            + " DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at")) {
                ps.setString(1, consumerId);
                ps.setLong(2, offset);
                ps.setLong(3, options.clock().millis());
                return ps.executeUpdate();
            }
        }));
    }

    @Override
    public void registerConsumer(String consumerId, long startOffset) {
        requireOffset(startOffset);
        writer.submit("event log register consumer " + consumerId, sql(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO consumers(consumer_id, cursor, updated_at) VALUES (?, ?, ?)"
                            + " ON CONFLICT(consumer_id) DO NOTHING")) {
                ps.setString(1, consumerId);
                ps.setLong(2, startOffset);
                ps.setLong(3, options.clock().millis());
                return ps.executeUpdate();
            }
        }));
    }

    @Override
    public void removeConsumer(String consumerId) {
        writer.submit("event log remove consumer " + consumerId, sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM consumers WHERE consumer_id = ?")) {
                ps.setString(1, consumerId);
                return ps.executeUpdate();
            }
        }));
    }

    private static void requireOffset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("event log cursor: offset must be >= 0, was " + offset);
        }
    }

    /**
     * Deletes, in chunks so appends can interleave, the events every registered consumer has passed that were
     * received before {@code cutoff} (nothing when no consumer is registered), then dedup entries older than
     * the dedup window.
     */
    @Override
    public long purge(Instant cutoff) {
        long cutoffMillis = cutoff.toEpochMilli();
        long deleted = 0;
        while (true) {
            int n = writer.submit("event log purge", new PurgeEventsChunk(cutoffMillis));
            deleted += n;
            if (n < PURGE_CHUNK) {
                break;
            }
        }
        long dedupBefore = options.clock().millis() - options.dedupWindow().toMillis();
        long forgotten = 0;
        while (true) {
            int n = writer.submit("event log purge dedup", new ExclusiveSql(c -> {
                try (PreparedStatement ps =
                        c.prepareStatement("DELETE FROM dedup WHERE (source_id, message_id) IN (SELECT"
                                + " source_id, message_id FROM dedup WHERE seen_at < ? LIMIT " + PURGE_CHUNK + ")")) {
                    ps.setLong(1, dedupBefore);
                    return ps.executeUpdate();
                }
            }));
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

    /** The writer connection's page cache in KiB, read back from SQLite on the writer thread (tests). */
    long writerCacheKib() {
        return writer.submit("event log cache size", sql(SqliteFiles::cacheKib));
    }

    /** The page cache of each read connection in KiB, read back from SQLite (tests; call while idle). */
    List<Long> readerCacheKib() throws SQLException {
        List<Long> out = new ArrayList<>();
        for (Connection c : allReaders) {
            out.add(SqliteFiles.cacheKib(c));
        }
        return out;
    }

    /** The durability settings of the writer's connection, read on the writer thread (tests). */
    SqliteFiles.Durability writerDurability() {
        return writer.submit("event log durability", sql(SqliteFiles::durability));
    }

    /** How long consumed events are kept (the options' retention), for the periodic purge. */
    public java.time.Duration retention() {
        return options.retention();
    }

    /** {@link #purge} with the cutoff {@code now - retention} from the options. */
    public long purgeExpired() {
        return purge(options.clock().instant().minus(options.retention()));
    }

    private final class PurgeEventsChunk extends GroupCommitWriter.Task<Integer> {
        private final long cutoffMillis;

        PurgeEventsChunk(long cutoffMillis) {
            this.cutoffMillis = cutoffMillis;
        }

        @Override
        boolean exclusive() {
            return true;
        }

        @Override
        Integer apply(Connection c) throws SQLException {
            long passedByAll;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*), coalesce(min(cursor), 0) FROM consumers")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return 0; // nobody has consumed anything: keep everything
                }
                passedByAll = rs.getLong(2);
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM events WHERE id IN (SELECT id FROM events"
                    + " WHERE id <= ? AND received_at < ? ORDER BY id LIMIT " + PURGE_CHUNK + ")")) {
                ps.setLong(1, passedByAll);
                ps.setLong(2, cutoffMillis);
                return ps.executeUpdate();
            }
        }

        @Override
        void committed(Integer result) {
            size.addAndGet(-result);
        }
    }

    @FunctionalInterface
    private interface SqlWork<R> {
        R apply(Connection c) throws SQLException;
    }

    private static <R> GroupCommitWriter.Task<R> sql(SqlWork<R> work) {
        return new GroupCommitWriter.Task<>() {
            @Override
            R apply(Connection c) throws SQLException {
                return work.apply(c);
            }
        };
    }

    private static final class ExclusiveSql extends GroupCommitWriter.Task<Integer> {
        private final SqlWork<Integer> work;

        ExclusiveSql(SqlWork<Integer> work) {
            this.work = work;
        }

        @Override
        boolean exclusive() {
            return true;
        }

        @Override
        Integer apply(Connection c) throws SQLException {
            return work.apply(c);
        }
    }

    private <R> R withReader(String operation, SqlWork<R> work) {
        Connection c;
        try {
            c = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(operation + ": interrupted waiting for a read connection");
        }
        try {
            return work.apply(c);
        } catch (SQLException e) {
            throw new StoreException(operation + ": " + e.getMessage(), e);
        } finally {
            readers.add(c);
        }
    }

    private static long longQuery(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Commits what is queued, stops the writer and closes all connections. */
    @Override
    public void close() {
        checkpointer.close();
        writer.close();
        for (Connection c : allReaders) {
            SqliteFiles.closeQuietly(c);
        }
        LOG.info("event log closed: file={}", file);
    }
}

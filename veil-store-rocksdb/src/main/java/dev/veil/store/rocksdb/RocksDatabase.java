package dev.veil.store.rocksdb;

import dev.veil.store.StoreException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.rocksdb.AbstractEventListener;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactionJobInfo;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushJobInfo;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RocksDB database of one event log directory and its native objects: options, column family handles, a
 * bounded cache. It can be closed and opened again in place ({@link #reopen}), which is how the writer starts clean
 * after a failed write (RocksDB stops every write after a WAL write error, e.g. a full disk, until it is reopened).
 * Readers hold {@link #read} while they use the handles, so a reopen or close never frees what a reader uses.
 *
 * <p>Native memory is bounded: one LRU cache of {@value #CACHE_BYTES} bytes holds data, index and filter blocks,
 * and the memtables of all column families are charged to it and capped at {@value #MEMTABLE_BYTES} bytes
 * ({@link WriteBufferManager}); past that RocksDB flushes. The WAL is capped at {@value #MAX_WAL_BYTES} bytes
 * (then the column families holding the oldest WAL are flushed).
 *
 * <p>Files: the directory is made 0700, so no other user can reach a file in it at any moment. RocksDB creates its
 * files with the process umask; they are tightened to 0600 at open and after each flush and compaction (which is
 * when new WAL and table files appear), so they stay private even when the directory is copied elsewhere.
 */
final class RocksDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RocksDatabase.class);

    /** Where, beside {@code events.rocksdb/}, the JNI library is copied to be loaded ({@link NativeLibrary}). */
    static final String NATIVE_DIR_NAME = "native";

    static final long CACHE_BYTES = 64L << 20;
    static final long MEMTABLE_BYTES = 48L << 20;
    static final long MAX_WAL_BYTES = 64L << 20;
    private static final long EVENTS_MEMTABLE_BYTES = 16L << 20;
    private static final long DEDUP_MEMTABLE_BYTES = 8L << 20;
    private static final long SMALL_MEMTABLE_BYTES = 1L << 20;

    private static final Set<PosixFilePermission> OWNER_RW =
            Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path dir;
    private final boolean readOnly;
    private final Cache cache;
    private final WriteBufferManager memtables;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    private final List<ColumnFamilyDescriptor> descriptors;
    private final WriteOptions syncWrites;
    private final AbstractEventListener permissions;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private @Nullable RocksDB db;
    private List<ColumnFamilyHandle> handles = List.of();

    private RocksDatabase(Path dir, boolean readOnly) {
        this.dir = dir;
        this.readOnly = readOnly;
        this.cache = new LRUCache(CACHE_BYTES);
        this.memtables = new WriteBufferManager(MEMTABLE_BYTES, cache);
        // Only these two callbacks: with all enabled, RocksDB 10.10 reports background error reasons its Java enum
        // does not know (an exception on a RocksDB thread at every disk-full).
        this.permissions =
                new AbstractEventListener(
                        AbstractEventListener.EnabledEventCallback.ON_FLUSH_COMPLETED,
                        AbstractEventListener.EnabledEventCallback.ON_COMPACTION_COMPLETED) {
                    @Override
                    public void onFlushCompleted(RocksDB db, FlushJobInfo info) {
                        makeFilesPrivate();
                    }

                    @Override
                    public void onCompactionCompleted(RocksDB db, CompactionJobInfo info) {
                        makeFilesPrivate();
                    }
                };
        this.dbOptions = new DBOptions()
                .setCreateIfMissing(!readOnly)
                .setCreateMissingColumnFamilies(!readOnly)
                .setMaxBackgroundJobs(2)
                .setMaxOpenFiles(256)
                .setMaxTotalWalSize(MAX_WAL_BYTES)
                .setWriteBufferManager(memtables)
                // Replay the WAL up to the first damaged record (a torn tail after a crash) and no further.
                .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                // A reopen after a full disk then needs room for a new WAL only, not for flushing everything the old
                // WALs hold into table files first; the old WALs stay until their data is flushed.
                .setAvoidFlushDuringRecovery(true)
                .setManualWalFlush(false)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setMaxLogFileSize(1L << 20)
                .setKeepLogFileNum(2)
                .setListeners(List.of(permissions));
        ColumnFamilyOptions meta = small();
        // Sealed payloads do not compress; the events are read in offset order, mostly from the memtable.
        ColumnFamilyOptions events = new ColumnFamilyOptions()
                .setWriteBufferSize(EVENTS_MEMTABLE_BYTES)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setTableFormatConfig(table(false));
        // Dedup probes are point lookups of mostly absent keys: a Bloom filter answers most without reading blocks.
        ColumnFamilyOptions dedup = new ColumnFamilyOptions()
                .setWriteBufferSize(DEDUP_MEMTABLE_BYTES)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(table(true));
        ColumnFamilyOptions expiry = new ColumnFamilyOptions()
                .setWriteBufferSize(DEDUP_MEMTABLE_BYTES)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(table(false));
        ColumnFamilyOptions consumers = small();
        cfOptions.addAll(List.of(meta, events, dedup, expiry, consumers));
        this.descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, meta),
                new ColumnFamilyDescriptor(RocksLayout.EVENTS, events),
                new ColumnFamilyDescriptor(RocksLayout.DEDUP, dedup),
                new ColumnFamilyDescriptor(RocksLayout.DEDUP_EXPIRY, expiry),
                new ColumnFamilyDescriptor(RocksLayout.CONSUMERS, consumers));
        this.syncWrites = new WriteOptions().setSync(true).setDisableWAL(false);
    }

    private ColumnFamilyOptions small() {
        return new ColumnFamilyOptions()
                .setWriteBufferSize(SMALL_MEMTABLE_BYTES)
                .setTableFormatConfig(table(false));
    }

    private BlockBasedTableConfig table(boolean bloom) {
        BlockBasedTableConfig t = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
        return bloom ? t.setFilterPolicy(new BloomFilter(10)) : t;
    }

    /**
     * Opens (creating if needed, unless read-only) the database in {@code dir}.
     *
     * @throws StoreException if it cannot be opened, e.g. another process holds it
     */
    static RocksDatabase open(Path dir, boolean readOnly) {
        NativeLibrary.load(dir.resolveSibling(NATIVE_DIR_NAME), dir);
        if (!readOnly) {
            createPrivateDirectory(dir);
        } else if (!Files.isDirectory(dir)) {
            throw new StoreException("open event log " + dir + " read-only: no such directory");
        }
        RocksDatabase d = new RocksDatabase(dir, readOnly);
        try {
            d.openDb();
        } catch (RocksDBException e) {
            d.closeNatives();
            throw new StoreException(describeOpenFailure(dir, e), e);
        }
        return d;
    }

    private static String describeOpenFailure(Path dir, RocksDBException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("lock") || message.contains("LOCK")) {
            return "open event log " + dir + ": it is in use by another process or instance (RocksDB allows one"
                    + " writer per directory): " + message;
        }
        return "open event log " + dir + ": " + message;
    }

    private void openDb() throws RocksDBException {
        List<ColumnFamilyHandle> opened = new ArrayList<>();
        db = readOnly
                ? RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, opened)
                : RocksDB.open(dbOptions, dir.toString(), descriptors, opened);
        handles = List.copyOf(opened);
        if (!readOnly) {
            makeFilesPrivate();
        }
    }

    /** Creates {@code dir} with mode 0700 (or makes an existing one 0700). */
    static void createPrivateDirectory(Path dir) {
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(
                            dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new StoreException(
                    "open event log " + dir + ": cannot create the directory: "
                            + e.getClass().getSimpleName(),
                    e);
        }
    }

    /** Sets every file of the directory that is not yet 0600 to 0600. */
    void makeFilesPrivate() {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try {
                    if (!Files.getPosixFilePermissions(f).equals(OWNER_RW)) {
                        Files.setPosixFilePermissions(f, OWNER_RW);
                    }
                } catch (IOException e) {
                    // Deleted meanwhile (an obsolete WAL or table file): nothing to protect.
                }
            }
        } catch (IOException e) {
            LOG.warn(
                    "event log {}: cannot list files to make them private: {}",
                    dir,
                    e.getClass().getSimpleName());
        }
    }

    Path dir() {
        return dir;
    }

    boolean readOnly() {
        return readOnly;
    }

    /** The options of every write: WAL on, fsynced before the write returns. */
    WriteOptions syncWrites() {
        return syncWrites;
    }

    DBOptions dbOptions() {
        return dbOptions;
    }

    /** Runs {@code work} with the open database; fails if it is closed or being reopened. */
    <R> R read(String operation, Work<R> work) {
        lock.readLock().lock();
        try {
            RocksDB d = db;
            if (d == null) {
                throw new StoreException(
                        operation + ": the event log is not open (closed, or reopening after a" + " write failure)");
            }
            return work.apply(d, this);
        } catch (RocksDBException e) {
            throw new StoreException(operation + ": " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Work on the open database. */
    @FunctionalInterface
    interface Work<R> {
        R apply(RocksDB db, RocksDatabase handles) throws RocksDBException;
    }

    /** The open database, for the writer thread (which alone reopens it); fails when not open. */
    RocksDB db() throws RocksDBException {
        RocksDB d = db;
        if (d == null) {
            throw new RocksDBException("the event log is not open (a reopen after a write failure did not succeed)");
        }
        return d;
    }

    boolean isOpen() {
        return db != null;
    }

    ColumnFamilyHandle meta() {
        return handles.get(0);
    }

    ColumnFamilyHandle events() {
        return handles.get(1);
    }

    ColumnFamilyHandle dedup() {
        return handles.get(2);
    }

    ColumnFamilyHandle expiry() {
        return handles.get(3);
    }

    ColumnFamilyHandle consumers() {
        return handles.get(4);
    }

    /**
     * Closes the database (whatever state a failed write left it in) and opens it again: RocksDB replays the WAL up
     * to the last complete write batch. On failure the database stays closed and the next call tries again.
     */
    void reopen() throws RocksDBException {
        lock.writeLock().lock();
        try {
            closeDb();
            openDb();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void closeDb() {
        RocksDB d = db;
        db = null;
        handles.forEach(ColumnFamilyHandle::close);
        handles = List.of();
        if (d != null) {
            try {
                d.closeE();
            } catch (RocksDBException e) {
                LOG.warn("event log {}: close reported {}", dir, e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closeDb();
            if (!readOnly) {
                makeFilesPrivate();
            }
        } finally {
            lock.writeLock().unlock();
            closeNatives();
        }
    }

    private void closeNatives() {
        syncWrites.close();
        dbOptions.close();
        cfOptions.forEach(ColumnFamilyOptions::close);
        permissions.close();
        memtables.close();
        cache.close();
    }
}

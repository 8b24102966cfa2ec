package dev.veil.store.rocksdb;

import org.rocksdb.DBOptions;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteOptions;

/**
 * The settings the promise "an append returns only once durable" rests on, read back from the live RocksDB objects:
 * every write goes to the WAL ({@code disableWAL=false}) and is fsynced before it returns ({@code sync=true}), the
 * WAL is written by RocksDB itself ({@code manual_wal_flush=false}), and recovery replays it up to the first damaged
 * record. A kill -9 loses nothing without fsync either (the page cache survives it); a power cut does, so these are
 * asserted rather than inferred from crash tests.
 */
public record RocksDurability(boolean sync, boolean walDisabled, boolean manualWalFlush, WALRecoveryMode recovery) {

    /** What the event log must run with. */
    public static final RocksDurability REQUIRED =
            new RocksDurability(true, false, false, WALRecoveryMode.PointInTimeRecovery);

    /** The settings of these objects. */
    public static RocksDurability of(WriteOptions write, DBOptions db) {
        return new RocksDurability(write.sync(), write.disableWAL(), db.manualWalFlush(), db.walRecoveryMode());
    }
}

package dev.veil.store.sqlite;

import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import java.nio.file.Path;

/**
 * All embedded stores of one data directory, opened together and closed in reverse order: what the server
 * wires at start-up.
 *
 * @param eventLog {@code events.db}
 * @param deadLetters {@code deadletters.db}
 * @param config {@code config.db}
 */
public record SqliteStores(SqliteEventLog eventLog, SqliteDeadLetterStore deadLetters, SqliteConfigStore config)
        implements AutoCloseable {

    /** Opens (creating and migrating as needed) every store in {@code dataDir}. */
    public static SqliteStores open(Path dataDir, MasterKey key, EventLogOptions options) {
        SqliteConfigStore config = SqliteConfigStore.open(dataDir, key, options.clock());
        try {
            SqliteDeadLetterStore deadLetters = SqliteDeadLetterStore.open(dataDir, key);
            try {
                return new SqliteStores(SqliteEventLog.open(dataDir, key, options), deadLetters, config);
            } catch (RuntimeException e) {
                deadLetters.close();
                throw e;
            }
        } catch (RuntimeException e) {
            config.close();
            throw e;
        }
    }

    /**
     * Creates {@code file} and its directory private to the owner (0600 in 0700) as every store file is, for
     * SQLite files kept outside these stores (e.g. the server's {@code replay.db}); an existing file readable by
     * others is made private. SQLite gives the -wal and -shm files the database file's mode.
     */
    public static void createPrivateFile(Path file) {
        SqliteFiles.createPrivate(file);
        SqliteFiles.makePrivate(file);
    }

    @Override
    public void close() {
        try {
            eventLog.close();
        } finally {
            try {
                deadLetters.close();
            } finally {
                config.close();
            }
        }
    }
}

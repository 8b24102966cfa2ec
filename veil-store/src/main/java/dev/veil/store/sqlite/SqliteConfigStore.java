package dev.veil.store.sqlite;

import dev.veil.core.crypto.AesGcm;
import dev.veil.store.ConfigStore;
import dev.veil.store.MasterKey;
import dev.veil.store.StoreException;
import dev.veil.store.jdbc.JdbcConfigStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;

/**
 * The embedded {@link ConfigStore}: {@code config.db} in the data directory, schema by Flyway migrations
 * ({@code db/config}), WAL, {@code synchronous=FULL}. Config changes are rare, so one connection behind a lock
 * serves all callers; write transactions start {@code IMMEDIATE}, so "max + 1" numbering is safe even with a
 * CLI process writing to the same file. The store itself is {@link JdbcConfigStore}. Thread-safe.
 */
public final class SqliteConfigStore extends JdbcConfigStore {

    /** File name inside the data directory. */
    public static final String FILE_NAME = "config.db";

    private SqliteConfigStore(SqliteDb db, Path file, AesGcm gcm, Clock clock) {
        super(db, SqliteDialect.INSTANCE, file.toString(), gcm, clock);
    }

    /** Opens (creating and migrating if needed) {@code dataDir/config.db}. */
    public static SqliteConfigStore open(Path dataDir, MasterKey key) {
        return open(dataDir, key, Clock.systemUTC());
    }

    /**
     * As {@link #open(Path, MasterKey)} with an explicit clock.
     *
     * @throws StoreException if the file cannot be opened or was written under another master key
     */
    public static SqliteConfigStore open(Path dataDir, MasterKey key, Clock clock) {
        Path file = dataDir.resolve(FILE_NAME);
        SqliteFiles.createPrivate(file);
        SqliteFiles.migrate(file, "config");
        byte[] master = key.bytes();
        SqliteDb db = new SqliteDb("config store", file);
        try {
            return checked(new SqliteConfigStore(db, file, AesGcm.forPurpose(master, PURPOSE), clock));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    /** The durability settings of the store's connection (tests). */
    SqliteFiles.Durability durability() {
        return connections().read("durability", SqliteFiles::durability);
    }
}

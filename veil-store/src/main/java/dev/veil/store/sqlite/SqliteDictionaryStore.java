package dev.veil.store.sqlite;

import dev.veil.store.DictionaryStore;
import dev.veil.store.jdbc.JdbcDictionaryStore;
import java.nio.file.Path;

/**
 * The embedded {@link DictionaryStore}: {@code dictionary.db} in the data directory, its own file so the
 * learner's writes never contend with the event log or the config store. Writes come in aggregated batches a
 * few times a minute, so one connection behind a lock is enough. The store itself is {@link JdbcDictionaryStore}.
 * Thread-safe.
 */
public final class SqliteDictionaryStore extends JdbcDictionaryStore {

    /** File name inside the data directory. */
    public static final String FILE_NAME = "dictionary.db";

    private SqliteDictionaryStore(SqliteDb db) {
        super(db, SqliteDialect.INSTANCE);
    }

    /** Opens (creating and migrating if needed) {@code dataDir/dictionary.db}. */
    public static SqliteDictionaryStore open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        SqliteFiles.createPrivate(file);
        SqliteFiles.migrate(file, "dictionary");
        // Deferred transactions, as before: every write here is a blind upsert, nothing reads first.
        return new SqliteDictionaryStore(new SqliteDb("dictionary", file, false));
    }
}

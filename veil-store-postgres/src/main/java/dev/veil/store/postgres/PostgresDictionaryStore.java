package dev.veil.store.postgres;

import dev.veil.store.DictionaryStore;
import dev.veil.store.jdbc.JdbcDictionaryStore;

/**
 * The PostgreSQL {@link DictionaryStore}: tables {@code fields}, {@code flows} and {@code learner} of the schema
 * (migrations {@code db/postgres}). Counts are merged by one upsert per row, so learners on several servers add up
 * instead of overwriting. The store itself is {@link JdbcDictionaryStore} with {@link PostgresDialect}.
 * Thread-safe.
 */
public final class PostgresDictionaryStore extends JdbcDictionaryStore {

    private PostgresDictionaryStore(PostgresDb db) {
        super(db, PostgresDialect.INSTANCE);
    }

    /** Connects and migrates the schema if needed. */
    public static PostgresDictionaryStore open(PostgresSettings settings) {
        return new PostgresDictionaryStore(PostgresDb.open("dictionary", settings, "db/postgres"));
    }

    /** The store over {@code db} (migrated); closing the store closes {@code db}. */
    static PostgresDictionaryStore on(PostgresDb db) {
        return new PostgresDictionaryStore(db);
    }
}

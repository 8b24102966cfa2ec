package dev.veil.store.postgres;

import dev.veil.core.crypto.AesGcm;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.MasterKey;
import dev.veil.store.MessageIdHash;
import dev.veil.store.jdbc.JdbcDeadLetterStore;
import java.util.Arrays;

/**
 * The PostgreSQL {@link DeadLetterStore}: table {@code dead_letters} of the schema (migrations
 * {@code db/postgres}). Raw events are sealed with AES-256-GCM (purpose {@code dead-letters}) before they reach the
 * database, the AAD binding destination, source and the keyed hash of the message id ({@link MessageIdHash}); the
 * id a caller chose is never stored in the clear. Ids come from an identity column, so servers sharing the schema
 * add concurrently; each call is one statement or one transaction. The store itself is {@link JdbcDeadLetterStore}.
 * Thread-safe.
 */
public final class PostgresDeadLetterStore extends JdbcDeadLetterStore {

    private PostgresDeadLetterStore(PostgresDb db, String schema, AesGcm gcm, MessageIdHash ids) {
        super(db, "schema " + schema, gcm, ids);
    }

    /** Connects and migrates the schema if needed; a wrong master key shows when a dead letter is read. */
    public static PostgresDeadLetterStore open(PostgresSettings settings, MasterKey key) {
        return on(PostgresDb.open("dead letter store", settings, "db/postgres"), settings, key);
    }

    /** The store over {@code db} (migrated); closing the store closes {@code db}. */
    static PostgresDeadLetterStore on(PostgresDb db, PostgresSettings settings, MasterKey key) {
        byte[] master = key.bytes();
        try {
            return new PostgresDeadLetterStore(
                    db, settings.schema(), AesGcm.forPurpose(master, PURPOSE), new MessageIdHash(master));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }
}

package dev.veil.store.postgres;

import dev.veil.core.crypto.AesGcm;
import dev.veil.store.ConfigStore;
import dev.veil.store.MasterKey;
import dev.veil.store.StoreException;
import dev.veil.store.jdbc.JdbcConfigStore;
import java.time.Clock;
import java.util.Arrays;

/**
 * The PostgreSQL {@link ConfigStore}: tables {@code sources}, {@code policy_versions}, {@code masking_secrets} and
 * {@code meta} of the schema (migrations {@code db/postgres}, shared with the admin stores). Write keys are kept
 * as SHA-256 hashes and masking secrets sealed with AES-256-GCM (purpose {@code masking-secrets}, AAD the version),
 * exactly as the SQLite backend keeps them.
 *
 * <p>Several servers may share the schema: numbering ("max + 1" for policy versions and masking-secret versions,
 * and the first masking secret) runs under a {@code SHARE ROW EXCLUSIVE} table lock, which serializes numberers but
 * not readers; generating a write key locks the source's row, so two servers cannot both hand out a key for it.
 * The store itself is {@link JdbcConfigStore} with {@link PostgresDialect}. Thread-safe.
 */
public final class PostgresConfigStore extends JdbcConfigStore {

    private PostgresConfigStore(PostgresDb db, String schema, AesGcm gcm, Clock clock) {
        super(db, PostgresDialect.INSTANCE, "(schema " + schema + ")", gcm, clock);
    }

    /**
     * Connects, migrates the schema if needed and checks the master key.
     *
     * @throws StoreException if the database cannot be reached or the schema was written under another master key
     */
    public static PostgresConfigStore open(PostgresSettings settings, MasterKey key, Clock clock) {
        return on(PostgresDb.open("config store", settings, "db/postgres"), settings, key, clock);
    }

    /** The store over {@code db} (migrated); closing the store closes {@code db}. */
    static PostgresConfigStore on(PostgresDb db, PostgresSettings settings, MasterKey key, Clock clock) {
        byte[] master = key.bytes();
        try {
            return checked(new PostgresConfigStore(db, settings.schema(), AesGcm.forPurpose(master, PURPOSE), clock));
        } catch (RuntimeException e) {
            db.close();
            throw e;
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }
}

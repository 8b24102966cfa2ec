package dev.veil.store.sqlite;

import dev.veil.store.MasterKey;
import dev.veil.store.jdbc.JdbcAdminStores;
import dev.veil.store.jdbc.JdbcAuditLog;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The admin side's embedded stores, all in the data directory's {@code config.db} (migrated by the same Flyway
 * scripts as the {@link SqliteConfigStore}) over one connection of their own: the audit log (anchor in
 * {@code meta}), accounts, policy drafts and named secrets.
 */
public final class SqliteAdminStores extends JdbcAdminStores {

    private SqliteAdminStores(SqliteDb db, MasterKey key, Clock clock) {
        super(db, SqliteDialect.INSTANCE, new JdbcAuditLog.AnchorInMeta(SqliteDialect.INSTANCE), key, clock);
    }

    /** Opens (creating and migrating if needed) the admin stores of {@code dataDir}. */
    public static SqliteAdminStores open(Path dataDir, MasterKey key, Clock clock) {
        Path file = dataDir.resolve(SqliteConfigStore.FILE_NAME);
        SqliteFiles.createPrivate(file);
        SqliteFiles.migrate(file, "config");
        SqliteDb db = new SqliteDb("config store", file);
        try {
            return new SqliteAdminStores(db, key, clock);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}

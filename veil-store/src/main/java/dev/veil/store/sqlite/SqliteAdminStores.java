package dev.veil.store.sqlite;

import dev.veil.core.crypto.AesGcm;
import dev.veil.store.MasterKey;
import dev.veil.store.audit.AuditChain;
import dev.veil.store.jdbc.JdbcAccountStore;
import dev.veil.store.jdbc.JdbcAuditLog;
import dev.veil.store.jdbc.JdbcDraftStore;
import dev.veil.store.jdbc.JdbcSecretStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;

/**
 * The admin side's embedded stores, all in the data directory's {@code config.db} (migrated by the same Flyway
 * scripts as the {@link SqliteConfigStore}) over one connection of their own: the audit log, accounts, policy
 * drafts and named secrets.
 */
public final class SqliteAdminStores implements AutoCloseable {

    private final SqliteDb db;
    private final JdbcAuditLog audit;
    private final JdbcAccountStore accounts;
    private final JdbcDraftStore drafts;
    private final JdbcSecretStore secrets;

    private SqliteAdminStores(SqliteDb db, byte[] master, Clock clock) {
        this.db = db;
        this.audit = new JdbcAuditLog(
                db, new JdbcAuditLog.AnchorInMeta(SqliteDialect.INSTANCE), AuditChain.forMasterKey(master), clock);
        this.accounts = new JdbcAccountStore(
                db, SqliteDialect.INSTANCE, AesGcm.forPurpose(master, "admin-totp-secrets"), clock);
        this.drafts = new JdbcDraftStore(db, SqliteDialect.INSTANCE, clock);
        this.secrets =
                new JdbcSecretStore(db, SqliteDialect.INSTANCE, AesGcm.forPurpose(master, "stored-secrets"), clock);
    }

    /** Opens (creating and migrating if needed) the admin stores of {@code dataDir}. */
    public static SqliteAdminStores open(Path dataDir, MasterKey key, Clock clock) {
        Path file = dataDir.resolve(SqliteConfigStore.FILE_NAME);
        SqliteFiles.createPrivate(file);
        SqliteFiles.migrate(file, "config");
        byte[] master = key.bytes();
        try {
            return new SqliteAdminStores(new SqliteDb("config store", file), master, clock);
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    public JdbcAuditLog audit() {
        return audit;
    }

    public JdbcAccountStore accounts() {
        return accounts;
    }

    public JdbcDraftStore drafts() {
        return drafts;
    }

    public JdbcSecretStore secrets() {
        return secrets;
    }

    @Override
    public void close() {
        db.close();
    }
}

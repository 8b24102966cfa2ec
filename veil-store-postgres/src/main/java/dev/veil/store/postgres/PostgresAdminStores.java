package dev.veil.store.postgres;

import dev.veil.core.crypto.AesGcm;
import dev.veil.store.MasterKey;
import dev.veil.store.audit.AuditChain;
import dev.veil.store.jdbc.JdbcAccountStore;
import dev.veil.store.jdbc.JdbcAuditLog;
import dev.veil.store.jdbc.JdbcDraftStore;
import dev.veil.store.jdbc.JdbcSecretStore;
import java.time.Clock;
import java.util.Arrays;

/**
 * The admin side's PostgreSQL stores, all in one schema over one connection pool: the audit log, accounts,
 * policy drafts and named secrets. Keys are derived from the master key exactly as the SQLite backend derives
 * them ({@code admin-totp-secrets}, {@code stored-secrets}, the audit chain's MAC key), so sealed values and
 * anchors mean the same in both. Opening applies the schema migrations ({@code db/postgres}, Flyway).
 */
public final class PostgresAdminStores implements AutoCloseable {

    private final PostgresDb db;
    private final JdbcAuditLog audit;
    private final JdbcAccountStore accounts;
    private final JdbcDraftStore drafts;
    private final JdbcSecretStore secrets;

    private PostgresAdminStores(PostgresDb db, byte[] master, Clock clock) {
        this.db = db;
        this.audit = new JdbcAuditLog(
                db, new JdbcAuditLog.AnchorTable(PostgresDialect.INSTANCE), AuditChain.forMasterKey(master), clock);
        this.accounts = new JdbcAccountStore(
                db, PostgresDialect.INSTANCE, AesGcm.forPurpose(master, "admin-totp-secrets"), clock);
        this.drafts = new JdbcDraftStore(db, PostgresDialect.INSTANCE, clock);
        this.secrets =
                new JdbcSecretStore(db, PostgresDialect.INSTANCE, AesGcm.forPurpose(master, "stored-secrets"), clock);
    }

    /** Connects, migrates the schema if needed and opens the admin stores under {@code key}. */
    public static PostgresAdminStores open(PostgresSettings settings, MasterKey key, Clock clock) {
        return on(PostgresDb.open("admin store", settings, "db/postgres"), key, clock);
    }

    /** The stores over {@code db} (migrated); closing them closes {@code db}. */
    static PostgresAdminStores on(PostgresDb db, MasterKey key, Clock clock) {
        byte[] master = key.bytes();
        try {
            return new PostgresAdminStores(db, master, clock);
        } catch (RuntimeException e) {
            db.close();
            throw e;
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

    /** Closes the connection pool (unless it is shared: {@link PostgresStores} closes that). */
    @Override
    public void close() {
        db.close();
    }
}

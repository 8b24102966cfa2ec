package dev.veil.store.jdbc;

import dev.veil.core.crypto.AesGcm;
import dev.veil.store.MasterKey;
import dev.veil.store.audit.AuditChain;
import java.time.Clock;
import java.util.Arrays;

/**
 * The admin side's stores over one database's connections: the audit log, accounts, policy drafts and named
 * secrets. Their keys are derived from the master key the same way on every backend ({@code admin-totp-secrets},
 * {@code stored-secrets}, the audit chain's MAC key), so sealed values and anchors mean the same in each. Each
 * backend subclasses this class only to open its database.
 */
public class JdbcAdminStores implements AutoCloseable {

    private final SqlConnections db;
    private final JdbcAuditLog audit;
    private final JdbcAccountStore accounts;
    private final JdbcDraftStore drafts;
    private final JdbcSecretStore secrets;

    /** The stores over {@code db} (migrated); closing them closes {@code db}. */
    protected JdbcAdminStores(
            SqlConnections db, SqlDialect dialect, JdbcAuditLog.Anchors anchors, MasterKey key, Clock clock) {
        byte[] master = key.bytes();
        try {
            this.db = db;
            this.audit = new JdbcAuditLog(db, anchors, AuditChain.forMasterKey(master), clock);
            this.accounts = new JdbcAccountStore(db, dialect, AesGcm.forPurpose(master, "admin-totp-secrets"), clock);
            this.drafts = new JdbcDraftStore(db, dialect, clock);
            this.secrets = new JdbcSecretStore(db, dialect, AesGcm.forPurpose(master, "stored-secrets"), clock);
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

    /** Closes the connections (a view over shared ones leaves them open). */
    @Override
    public void close() {
        db.close();
    }
}

package dev.veil.store.postgres;

import dev.veil.store.MasterKey;
import dev.veil.store.jdbc.JdbcAdminStores;
import dev.veil.store.jdbc.JdbcAuditLog;
import java.time.Clock;

/**
 * The admin side's PostgreSQL stores, all in one schema over one connection pool: the audit log (anchor in table
 * {@code audit_anchor}), accounts, policy drafts and named secrets, sealed and anchored exactly as the SQLite
 * backend does ({@link JdbcAdminStores}). Opening applies the schema migrations ({@code db/postgres}, Flyway).
 */
public final class PostgresAdminStores extends JdbcAdminStores {

    private PostgresAdminStores(PostgresDb db, MasterKey key, Clock clock) {
        super(db, PostgresDialect.INSTANCE, new JdbcAuditLog.AnchorTable(PostgresDialect.INSTANCE), key, clock);
    }

    /** Connects, migrates the schema if needed and opens the admin stores under {@code key}. */
    public static PostgresAdminStores open(PostgresSettings settings, MasterKey key, Clock clock) {
        return on(PostgresDb.open("admin store", settings, "db/postgres"), key, clock);
    }

    /** The stores over {@code db} (migrated); closing them closes {@code db}. */
    static PostgresAdminStores on(PostgresDb db, MasterKey key, Clock clock) {
        try {
            return new PostgresAdminStores(db, key, clock);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }
}

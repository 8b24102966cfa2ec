package dev.veil.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.AuditLog;
import dev.veil.store.AuditLogContract;
import dev.veil.store.MasterKey;
import dev.veil.store.TestEvents.MutableClock;
import dev.veil.store.audit.AuditEntry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The PostgreSQL audit log against the contract, tampered with through plain SQL on its schema. */
class PostgresAuditLogTest extends AuditLogContract {

    private static final TestPostgres.Database DATABASE = TestPostgres.newDatabase(PostgresAuditLogTest.class);
    private static final String INSERT = "INSERT INTO audit_log(seq, at, actor, action, target, outcome, detail,"
            + " prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final OpenedStores stores = new OpenedStores(DATABASE);

    @Override
    protected AuditLog open(Path dir, MasterKey key, MutableClock clock) {
        return stores.open(dir, key, clock).audit();
    }

    @AfterEach
    void closeAll() {
        stores.close();
    }

    private Connection connect() {
        return DATABASE.connect(stores.schema(dir));
    }

    private void sql(String... statements) {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void tamperEditDetail(long seq, String detail) {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement("UPDATE audit_log SET detail = ? WHERE seq = ?")) {
            ps.setString(1, detail);
            ps.setLong(2, seq);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void tamperDelete(long seq) {
        sql("DELETE FROM audit_log WHERE seq = " + seq);
    }

    @Override
    protected void tamperInsert(AuditEntry forged) {
        sql(
                // Two steps so the primary key never collides while shifting.
                "UPDATE audit_log SET seq = -seq - 1 WHERE seq >= " + forged.seq(),
                "UPDATE audit_log SET seq = -seq WHERE seq < 0");
        insert(List.of(forged));
    }

    @Override
    protected void tamperSwap(long a, long b) {
        String cols = "at, actor, action, target, outcome, detail, prev_hash, hash";
        sql(
                "CREATE TEMP TABLE t AS SELECT * FROM audit_log WHERE seq IN (" + a + ", " + b + ")",
                "UPDATE audit_log SET (" + cols + ") = (SELECT " + cols + " FROM t WHERE t.seq = " + b
                        + ") WHERE seq = " + a,
                "UPDATE audit_log SET (" + cols + ") = (SELECT " + cols + " FROM t WHERE t.seq = " + a
                        + ") WHERE seq = " + b);
    }

    @Override
    protected void tamperTruncateAfter(long seq) {
        sql("DELETE FROM audit_log WHERE seq > " + seq);
    }

    @Override
    protected void tamperReplaceFrom(long seq, List<AuditEntry> entries) {
        sql("DELETE FROM audit_log WHERE seq >= " + seq);
        insert(entries);
    }

    private void insert(List<AuditEntry> entries) {
        try (Connection c = connect();
                PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (AuditEntry e : entries) {
                ps.setLong(1, e.seq());
                ps.setLong(2, e.at().toEpochMilli());
                ps.setString(3, e.actor());
                ps.setString(4, e.action());
                ps.setString(5, e.target());
                ps.setString(6, e.outcome());
                ps.setString(7, e.detail());
                ps.setString(8, e.prevHash());
                ps.setString(9, e.hash());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.veil.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.MasterKey;
import dev.veil.store.TestEvents;
import dev.veil.store.audit.AuditRecord;
import dev.veil.store.audit.AuditVerification;
import dev.veil.store.sqlite.SqliteAdminStores;
import dev.veil.store.sqlite.SqliteConfigStore;
import dev.veil.store.sqlite.SqliteDeadLetterStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under one master key, the PostgreSQL stores derive the same keys, AADs and message-id hashes as the SQLite
 * stores: rows written by SQLite and copied verbatim into PostgreSQL open there (dead letters, stored secrets,
 * masking secrets) and an audit chain with its anchor verifies. This is what lets an installation move its data
 * from one backend to the other by copying rows, without re-encrypting.
 */
class SameSealingAsSqliteTest {

    private static final TestPostgres.Database DATABASE = TestPostgres.newDatabase(SameSealingAsSqliteTest.class);
    private static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");

    @TempDir
    Path dir;

    private final MasterKey key = MasterKey.random();
    private final PostgresSettings settings = DATABASE.newSchema();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    @Test
    void a_dead_letter_written_by_sqlite_opens_in_postgres_and_its_id_hash_is_the_same() throws Exception {
        String messageId = "jane@example.org-1741962687440";
        try (SqliteDeadLetterStore sqlite = SqliteDeadLetterStore.open(dir, key)) {
            sqlite.add("ga4", TestEvents.event("src-1", messageId, T0, "hello"), "HTTP 400", T0);
        }
        PostgresDeadLetterStore pg = keep(PostgresDeadLetterStore.open(settings, key));
        pg.add("ga4", TestEvents.event("src-1", messageId, T0, "hello"), "HTTP 400", T0);

        List<Object[]> rows = sqliteRows(
                "deadletters.db",
                "SELECT destination_id, source_id, message_id, reason, failed_at, payload FROM dead_letters",
                6);
        assertThat(rows).hasSize(1);
        assertThat(rows.getFirst()[2]).isEqualTo(postgresString("SELECT message_id FROM dead_letters"));
        long copied = insertReturningId(
                "INSERT INTO dead_letters(destination_id, source_id, message_id, reason, failed_at, payload)"
                        + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                rows.getFirst());

        assertThat(pg.get(copied)).hasValueSatisfying(d -> {
            assertThat(d.event().messageId()).isEqualTo(messageId);
            assertThat(d.event().message().toString()).contains("hello");
        });
    }

    @Test
    void secrets_masking_secrets_and_the_audit_chain_written_by_sqlite_open_and_verify_in_postgres() throws Exception {
        List<byte[]> maskingSecrets = new ArrayList<>();
        try (SqliteConfigStore config = SqliteConfigStore.open(dir, key, Clock.systemUTC());
                SqliteAdminStores admin = SqliteAdminStores.open(dir, key, Clock.systemUTC())) {
            config.maskingSecrets().forEach(s -> maskingSecrets.add(s.secret()));
            admin.secrets().put("ga4.apiSecret", "value-from-sqlite", "cli:root");
            for (int i = 1; i <= 3; i++) {
                admin.audit().append(AuditRecord.success("user:alice", "policy.publish", "policy:" + i));
            }
        }
        PostgresAdminStores pgAdmin = keep(PostgresAdminStores.open(settings, key, Clock.systemUTC()));
        PostgresConfigStore pgConfig = keep(PostgresConfigStore.open(settings, key, Clock.systemUTC()));

        for (Object[] row :
                sqliteRows("config.db", "SELECT name, value, updated_at, updated_by FROM stored_secrets", 4)) {
            insert("INSERT INTO stored_secrets(name, value, updated_at, updated_by) VALUES (?, ?, ?, ?)", row);
        }
        for (Object[] row : sqliteRows("config.db", "SELECT version, secret, activated_at FROM masking_secrets", 3)) {
            insert("INSERT INTO masking_secrets(version, secret, activated_at) VALUES (?, ?, ?)", row);
        }
        for (Object[] row : sqliteRows(
                "config.db",
                "SELECT seq, at, actor, action, target, outcome, detail, prev_hash, hash FROM audit_log ORDER BY seq",
                9)) {
            insert(
                    "INSERT INTO audit_log(seq, at, actor, action, target, outcome, detail, prev_hash, hash)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    row);
        }
        String[] anchor = new String(
                        (byte[]) sqliteRows("config.db", "SELECT value FROM meta WHERE name =" + " 'audit_anchor'", 1)
                                .getFirst()[0],
                        StandardCharsets.UTF_8)
                .split(" ");
        insert(
                "UPDATE audit_anchor SET seq = ?, hash = ?, mac = ? WHERE id = 1",
                new Object[] {Long.parseLong(anchor[0]), anchor[1], anchor[2]});

        assertThat(pgAdmin.secrets().get("ga4.apiSecret")).contains("value-from-sqlite");
        assertThat(pgConfig.maskingSecrets())
                .singleElement()
                .satisfies(s -> assertThat(s.secret()).isEqualTo(maskingSecrets.getFirst()));
        AuditVerification v = pgAdmin.audit().verify();
        assertThat(v.intact()).as(v.describe().orElse("")).isTrue();
        assertThat(v.entries()).isEqualTo(3);
        assertThat(pgAdmin.audit()
                        .append(AuditRecord.success("system", "server.start", ""))
                        .seq())
                .isEqualTo(4);
        assertThat(pgAdmin.audit().verify().intact()).isTrue();
    }

    private List<Object[]> sqliteRows(String file, String sql, int columns) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(file));
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Object[] row = new Object[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                out.add(row);
            }
        }
        return out;
    }

    private String postgresString(String sql) throws SQLException {
        try (Connection c = DATABASE.connect(settings.schema());
                PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        }
    }

    private void insert(String sql, Object[] row) throws SQLException {
        try (Connection c = DATABASE.connect(settings.schema());
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, row);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private long insertReturningId(String sql, Object[] row) throws SQLException {
        try (Connection c = DATABASE.connect(settings.schema());
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, row);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** SQLite hands integers back as Integer or Long; PostgreSQL's BIGINT columns take a long. */
    private static void bind(PreparedStatement ps, Object[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            if (v instanceof byte[] b) {
                ps.setBytes(i + 1, b);
            } else if (v instanceof Number n) {
                ps.setLong(i + 1, n.longValue());
            } else {
                ps.setObject(i + 1, v);
            }
        }
    }
}

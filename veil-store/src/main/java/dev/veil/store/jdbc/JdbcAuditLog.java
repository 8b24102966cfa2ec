package dev.veil.store.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.veil.store.AuditLog;
import dev.veil.store.StoreException;
import dev.veil.store.audit.AuditAnchor;
import dev.veil.store.audit.AuditChain;
import dev.veil.store.audit.AuditEntry;
import dev.veil.store.audit.AuditRecord;
import dev.veil.store.audit.AuditVerification;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The {@link AuditLog} of the SQL backends: table {@code audit_log}, the anchor (newest seq, hash and MAC) where
 * the backend's schema keeps it ({@link Anchors}).
 *
 * <p>Design note: an append first takes the anchor's lock ({@link Anchors#lock}), then reads the head, chains the
 * new entry and moves the anchor, all in one write transaction, so appends from any number of threads, processes
 * or servers form one chain. {@link #verify()} reads the anchor and every entry in one snapshot
 * ({@link SqlConnections#snapshot}), so a concurrent append cannot look like a truncation. Thread-safe.
 */
public final class JdbcAuditLog implements AuditLog {

    private static final int PAGE = 1000;

    /** Where a schema keeps the anchor, and how an append excludes the other appenders until it commits. */
    public sealed interface Anchors {

        /** Called first in an append's transaction: no other append passes it until this one ends. */
        void lock(Connection c) throws SQLException;

        Optional<AuditAnchor> read(Connection c) throws SQLException;

        void write(Connection c, AuditAnchor anchor) throws SQLException;
    }

    /**
     * The anchor as the row {@code 'audit_anchor'} of table {@code meta} ({@code "seq hash mac"} in UTF-8), the
     * SQLite schema. Appends serialize through {@link SqlDialect#lockForNumbering} on {@code audit_log} (the row
     * may not exist yet, so there is no row to lock).
     */
    public record AnchorInMeta(SqlDialect dialect) implements Anchors {
        @Override
        public void lock(Connection c) throws SQLException {
            dialect.lockForNumbering(c, "audit_log");
        }

        @Override
        public Optional<AuditAnchor> read(Connection c) throws SQLException {
            return Jdbc.queryOne(c, "SELECT value FROM meta WHERE name = 'audit_anchor'", rs -> {
                String[] parts = new String(rs.getBytes(1), UTF_8).split(" ");
                if (parts.length != 3) {
                    throw new StoreException("audit anchor: malformed");
                }
                return new AuditAnchor(Long.parseLong(parts[0]), parts[1], parts[2]);
            });
        }

        @Override
        public void write(Connection c, AuditAnchor anchor) throws SQLException {
            Jdbc.update(
                    c,
                    "INSERT INTO meta(name, value) VALUES ('audit_anchor', ?) ON CONFLICT (name) DO UPDATE SET"
                            + " value = excluded.value",
                    (anchor.seq() + " " + anchor.hash() + " " + anchor.mac()).getBytes(UTF_8));
        }
    }

    /**
     * The anchor as the one row ({@code id = 1}, created by the migration) of table {@code audit_anchor}, the
     * PostgreSQL schema. Appends serialize on that row's lock ({@link SqlDialect#forUpdate()}).
     */
    public record AnchorTable(SqlDialect dialect) implements Anchors {
        @Override
        public void lock(Connection c) throws SQLException {
            Jdbc.query(c, "SELECT id FROM audit_anchor WHERE id = 1" + dialect.forUpdate(), rs -> rs.getInt(1));
        }

        @Override
        public Optional<AuditAnchor> read(Connection c) throws SQLException {
            return Jdbc.queryOne(
                    c,
                    "SELECT seq, hash, mac FROM audit_anchor WHERE id = 1 AND seq IS NOT NULL",
                    rs -> new AuditAnchor(rs.getLong(1), rs.getString(2), rs.getString(3)));
        }

        @Override
        public void write(Connection c, AuditAnchor anchor) throws SQLException {
            Jdbc.update(
                    c,
                    "UPDATE audit_anchor SET seq = ?, hash = ?, mac = ? WHERE id = 1",
                    anchor.seq(),
                    anchor.hash(),
                    anchor.mac());
        }
    }

    private final SqlConnections db;
    private final Anchors anchors;
    private final AuditChain chain;
    private final Clock clock;

    public JdbcAuditLog(SqlConnections db, Anchors anchors, AuditChain chain, Clock clock) {
        this.db = db;
        this.anchors = anchors;
        this.chain = chain;
        this.clock = clock;
    }

    @Override
    public AuditEntry append(AuditRecord record) {
        return db.write("audit append", c -> {
            anchors.lock(c);
            AuditEntry head = Jdbc.queryOne(c, "SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1", JdbcAuditLog::entry)
                    .orElse(null);
            AuditEntry next = chain.next(head, record, clock.instant());
            Jdbc.update(
                    c,
                    "INSERT INTO audit_log(seq, at, actor, action, target, outcome, detail, prev_hash, hash)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    next.seq(),
                    next.at().toEpochMilli(),
                    next.actor(),
                    next.action(),
                    next.target(),
                    next.outcome(),
                    next.detail(),
                    next.prevHash(),
                    next.hash());
            anchors.write(c, chain.anchor(next));
            return next;
        });
    }

    @Override
    public List<AuditEntry> read(long afterSeq, int max) {
        return db.read(
                "audit read",
                c -> Jdbc.query(
                        c,
                        "SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
                        JdbcAuditLog::entry,
                        afterSeq,
                        max));
    }

    @Override
    public List<AuditEntry> latest(int max, String actionPrefix) {
        return db.read(
                "audit latest",
                c -> Jdbc.query(
                        c,
                        "SELECT * FROM audit_log WHERE substr(action, 1, ?) = ? ORDER BY seq DESC LIMIT ?",
                        JdbcAuditLog::entry,
                        actionPrefix.length(),
                        actionPrefix,
                        max));
    }

    @Override
    public AuditVerification verify() {
        return db.snapshot("audit verify", c -> {
            Optional<AuditAnchor> anchor = anchors.read(c);
            try {
                return chain.verify(new Pages(c), anchor);
            } catch (PageFailed e) {
                throw e.cause;
            }
        });
    }

    /** A page that could not be read, carried out of the iterator to the transaction that reports it. */
    private static final class PageFailed extends RuntimeException {
        private final SQLException cause;

        PageFailed(SQLException cause) {
            super(null, cause, false, false);
            this.cause = cause;
        }
    }

    /** Reads the log page by page in sequence order, inside the caller's snapshot. */
    private static final class Pages implements Iterator<AuditEntry> {
        private final Connection c;
        private List<AuditEntry> page = List.of();
        private int index;
        private long after = Long.MIN_VALUE;
        private boolean done;

        Pages(Connection c) {
            this.c = c;
        }

        @Override
        public boolean hasNext() {
            if (index < page.size()) {
                return true;
            }
            if (done) {
                return false;
            }
            try {
                page = Jdbc.query(
                        c,
                        "SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
                        JdbcAuditLog::entry,
                        after,
                        PAGE);
            } catch (SQLException e) {
                throw new PageFailed(e);
            }
            index = 0;
            done = page.size() < PAGE;
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).seq();
            }
            return !page.isEmpty();
        }

        @Override
        public AuditEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.get(index++);
        }
    }

    static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(
                rs.getLong("seq"),
                Jdbc.instant(rs, "at"),
                rs.getString("actor"),
                rs.getString("action"),
                rs.getString("target"),
                rs.getString("outcome"),
                rs.getString("detail"),
                rs.getString("prev_hash"),
                rs.getString("hash"));
    }
}

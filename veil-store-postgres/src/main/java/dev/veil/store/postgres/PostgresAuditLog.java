package dev.veil.store.postgres;

import dev.veil.store.AuditLog;
import dev.veil.store.audit.AuditAnchor;
import dev.veil.store.audit.AuditChain;
import dev.veil.store.audit.AuditEntry;
import dev.veil.store.audit.AuditRecord;
import dev.veil.store.audit.AuditVerification;
import dev.veil.store.jdbc.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The PostgreSQL {@link AuditLog}: table {@code audit_log}, the anchor in the one-row table {@code audit_anchor}.
 * An append locks the anchor row ({@code FOR UPDATE}), reads the head, chains the new entry and moves the anchor
 * in one transaction, so appends from any number of threads and servers form one chain. {@link #verify()} reads
 * the anchor and every entry in one snapshot, so a concurrent append cannot look like a truncation. Thread-safe.
 */
public final class PostgresAuditLog implements AuditLog {

    private static final int PAGE = 1000;

    private final PostgresDb db;
    private final AuditChain chain;
    private final Clock clock;

    PostgresAuditLog(PostgresDb db, AuditChain chain, Clock clock) {
        this.db = db;
        this.chain = chain;
        this.clock = clock;
    }

    @Override
    public AuditEntry append(AuditRecord record) {
        return db.write("audit append", c -> {
            Jdbc.query(c, "SELECT id FROM audit_anchor WHERE id = 1 FOR UPDATE", rs -> rs.getInt(1));
            AuditEntry head = Jdbc.queryOne(
                            c, "SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1", PostgresAuditLog::entry)
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
            AuditAnchor anchor = chain.anchor(next);
            Jdbc.update(
                    c,
                    "UPDATE audit_anchor SET seq = ?, hash = ?, mac = ? WHERE id = 1",
                    anchor.seq(),
                    anchor.hash(),
                    anchor.mac());
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
                        PostgresAuditLog::entry,
                        afterSeq,
                        max));
    }

    @Override
    public List<AuditEntry> latest(int max, String actionPrefix) {
        return db.read(
                "audit latest",
                c -> Jdbc.query(
                        c,
                        "SELECT * FROM audit_log WHERE left(action, ?) = ? ORDER BY seq DESC LIMIT ?",
                        PostgresAuditLog::entry,
                        actionPrefix.length(),
                        actionPrefix,
                        max));
    }

    @Override
    public AuditVerification verify() {
        return db.snapshot("audit verify", c -> chain.verify(new Pages(c), anchor(c)));
    }

    private static Optional<AuditAnchor> anchor(Connection c) throws SQLException {
        return Jdbc.queryOne(
                c,
                "SELECT seq, hash, mac FROM audit_anchor WHERE id = 1 AND seq IS NOT NULL",
                rs -> new AuditAnchor(rs.getLong(1), rs.getString(2), rs.getString(3)));
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
                        PostgresAuditLog::entry,
                        after,
                        PAGE);
            } catch (SQLException e) {
                throw new dev.veil.store.StoreException("audit verify: " + PostgresDb.describe(e), e);
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

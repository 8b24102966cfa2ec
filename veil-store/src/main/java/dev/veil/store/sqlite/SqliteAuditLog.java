package dev.veil.store.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.veil.store.AuditLog;
import dev.veil.store.StoreException;
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
 * The embedded {@link AuditLog}: table {@code audit_log} of {@code config.db}, the anchor in {@code meta}. An
 * append reads the head, chains the new entry and moves the anchor in one {@code IMMEDIATE} transaction, so
 * appends from the server and a CLI process serialize. Thread-safe.
 */
public final class SqliteAuditLog implements AuditLog {

    private static final int PAGE = 1000;

    private final SqliteDb db;
    private final AuditChain chain;
    private final Clock clock;

    SqliteAuditLog(SqliteDb db, AuditChain chain, Clock clock) {
        this.db = db;
        this.chain = chain;
        this.clock = clock;
    }

    @Override
    public AuditEntry append(AuditRecord record) {
        return db.write("audit append", c -> {
            AuditEntry head = Jdbc.queryOne(
                            c, "SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1", SqliteAuditLog::entry)
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
                    "INSERT INTO meta(name, value) VALUES ('audit_anchor', ?) ON CONFLICT(name) DO UPDATE SET"
                            + " value = excluded.value",
                    (anchor.seq() + " " + anchor.hash() + " " + anchor.mac()).getBytes(UTF_8));
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
                        SqliteAuditLog::entry,
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
                        SqliteAuditLog::entry,
                        actionPrefix.length(),
                        actionPrefix,
                        max));
    }

    @Override
    public AuditVerification verify() {
        Optional<AuditAnchor> anchor = db.read("audit anchor", SqliteAuditLog::anchor);
        // seq is the table's rowid: the walk reads the rows in the order the chain claims for them.
        return chain.verify(new Pages(), anchor);
    }

    private static Optional<AuditAnchor> anchor(Connection c) throws SQLException {
        return Jdbc.queryOne(c, "SELECT value FROM meta WHERE name = 'audit_anchor'", rs -> {
            String[] parts = new String(rs.getBytes(1), UTF_8).split(" ");
            if (parts.length != 3) {
                throw new StoreException("audit anchor: malformed");
            }
            return new AuditAnchor(Long.parseLong(parts[0]), parts[1], parts[2]);
        });
    }

    /** Reads the log page by page in storage order. */
    private final class Pages implements Iterator<AuditEntry> {
        private List<AuditEntry> page = List.of();
        private int index;
        private long offset;
        private boolean done;

        @Override
        public boolean hasNext() {
            if (index < page.size()) {
                return true;
            }
            if (done) {
                return false;
            }
            long from = offset;
            page = db.read(
                    "audit verify",
                    c -> Jdbc.query(
                            c,
                            "SELECT * FROM audit_log ORDER BY rowid LIMIT ? OFFSET ?",
                            SqliteAuditLog::entry,
                            PAGE,
                            from));
            offset += page.size();
            index = 0;
            done = page.size() < PAGE;
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

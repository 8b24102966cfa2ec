package dev.veil.store.sqlite;

import dev.veil.store.sqlite.SqliteEventLog.Row;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The event log's append SQL as multi-row statements, prepared once per row count and reused: a chunk of n
 * events costs two statement executions (dedup upsert, insert) instead of 2n, which is most of the writer
 * thread's time per event. Confined to the writer thread (not thread-safe); the statements die with the
 * write connection, and are prepared anew on the next one when the writer starts clean after a failure.
 *
 * <p>Dedup semantics are those of one upsert per row, in order: a pair is fresh when absent, or present but
 * older than the window (then its {@code seen_at} is refreshed); otherwise the row is a duplicate. Within one
 * statement a repeated pair conflicts with the row inserted just before it, so only its first occurrence is
 * fresh. {@code RETURNING} yields the pairs that were inserted or refreshed (in no guaranteed order); they are
 * matched back to rows by key, first occurrence first.
 */
final class AppendStatements {

    private final Map<Integer, PreparedStatement> dedup = new HashMap<>();
    private final Map<Integer, PreparedStatement> insert = new HashMap<>();
    private @Nullable Connection connection;
    private @Nullable PreparedStatement lastRowid;

    private record Key(String sourceId, String messageId) {}

    /** Upserts the chunk's pairs into {@code dedup}; returns the fresh rows in chunk order. */
    List<Row> dedup(Connection c, List<Row> chunk, long now, long windowStart) throws SQLException {
        PreparedStatement ps = statement(c, dedup, chunk.size(), AppendStatements::dedupSql);
        ps.setLong(1, now);
        ps.setLong(2, windowStart);
        int p = 3;
        for (Row r : chunk) {
            ps.setString(p++, r.sourceId());
            ps.setString(p++, r.messageId());
        }
        Map<Key, Integer> fresh = new HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                fresh.merge(new Key(rs.getString(1), rs.getString(2)), 1, Integer::sum);
            }
        }
        List<Row> out = new ArrayList<>(fresh.size());
        for (Row r : chunk) {
            Key k = new Key(r.sourceId(), r.messageId());
            Integer left = fresh.get(k);
            if (left != null) {
                out.add(r);
                if (left == 1) {
                    fresh.remove(k);
                } else {
                    fresh.put(k, left - 1);
                }
            }
        }
        return out;
    }

    /** Inserts the rows into {@code events} in list order (offsets increase in that order). */
    void insert(Connection c, List<Row> rows) throws SQLException {
        PreparedStatement ps = statement(c, insert, rows.size(), AppendStatements::insertSql);
        int p = 1;
        for (Row r : rows) {
            ps.setString(p++, r.sourceId());
            ps.setString(p++, r.messageId());
            ps.setLong(p++, r.receivedAt());
            ps.setBytes(p++, r.payload());
        }
        ps.executeUpdate();
    }

    /** The offset of the last inserted event. */
    long lastInsertRowid(Connection c) throws SQLException {
        checkConnection(c);
        if (lastRowid == null) {
            lastRowid = c.prepareStatement("SELECT last_insert_rowid()");
        }
        try (ResultSet rs = lastRowid.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private PreparedStatement statement(
            Connection c, Map<Integer, PreparedStatement> cache, int rows, IntFunction<String> sql)
            throws SQLException {
        checkConnection(c);
        PreparedStatement ps = cache.get(rows);
        if (ps == null) {
            ps = c.prepareStatement(sql.apply(rows));
            cache.put(rows, ps);
        }
        return ps;
    }

    private void checkConnection(Connection c) {
        if (connection != c) {
            // a new write connection: the old statements were closed with the old one
            dedup.clear();
            insert.clear();
            lastRowid = null;
            connection = c;
        }
    }

    static String dedupSql(int rows) {
        StringBuilder sb = new StringBuilder("INSERT INTO dedup(source_id, message_id, seen_at) VALUES ");
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "" : ", ")
                    .append("(?")
                    .append(3 + 2 * i)
                    .append(", ?")
                    .append(4 + 2 * i)
                    .append(", ?1)");
        }
        // ?1 = now, ?2 = start of the window; an entry is refreshed (accepted again) only once it left the window.
        return sb.append(" ON CONFLICT(source_id, message_id) DO UPDATE SET seen_at = excluded.seen_at")
                .append(" WHERE dedup.seen_at < ?2 RETURNING source_id, message_id")
                .toString();
    }

    static String insertSql(int rows) {
        StringBuilder sb = new StringBuilder("INSERT INTO events(source_id, message_id, received_at, payload) VALUES ");
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?)");
        }
        return sb.toString();
    }
}

package dev.veil.store.sqlite;

import dev.veil.core.crypto.AesGcm;
import dev.veil.store.MessageIdHash;
import dev.veil.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** The one-time rewrite of an event log written before message ids were hashed ({@link MessageIdHash}). */
final class MessageIdMigration {

    private MessageIdMigration() {}

    /** The {@code meta} row that says the id columns hold hashes. */
    private static final String META = "message_ids";

    private static final String HASHED = "hmac-sha256-v1";

    /**
     * Rewrites an event log written before ids were hashed, in one transaction on the writer connection before
     * any append: each payload is re-sealed under the AAD of its hashed id and both id columns get the hash.
     * Does nothing when the {@code meta} row says it is done (and writes that row on a new log). Returns the
     * number of events rewritten. The rewrite runs with {@code secure_delete}, then the file is rebuilt
     * ({@code VACUUM}: with thousands of rows, secure_delete alone left plain ids in rewritten pages) and the WAL
     * truncated, so the plain ids linger nowhere; the writer's own statements then run without secure_delete.
     */
    static long migrate(Connection c, AesGcm gcm, MessageIdHash ids) throws SQLException {
        if (done(c)) {
            return 0;
        }
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA secure_delete=ON");
        }
        try {
            long events = rewrite(c, gcm, ids);
            try (Statement s = c.createStatement()) {
                s.execute("VACUUM");
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            return events;
        } finally {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA secure_delete=OFF");
            }
        }
    }

    private static boolean done(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
            ps.setString(1, META);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static long rewrite(Connection c, AesGcm gcm, MessageIdHash ids) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        long events = 0;
        try {
            long after = 0;
            while (true) {
                record Old(long id, String sourceId, String messageId, byte[] payload) {}
                List<Old> chunk = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, source_id, message_id, payload FROM events WHERE id > ? ORDER BY id LIMIT 1000")) {
                    ps.setLong(1, after);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            chunk.add(new Old(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4)));
                        }
                    }
                }
                if (chunk.isEmpty()) {
                    break;
                }
                try (PreparedStatement up =
                        c.prepareStatement("UPDATE events SET message_id = ?, payload = ? WHERE id = ?")) {
                    for (Old o : chunk) {
                        String hashed = ids.of(o.messageId());
                        byte[] plain;
                        try {
                            plain = gcm.open(o.payload(), SqliteEventLog.aad(o.sourceId(), o.messageId()));
                        } catch (AesGcm.OpenFailedException e) {
                            throw new StoreException("event log: hashing message ids: the event at offset " + o.id()
                                    + " cannot be decrypted: " + e.getMessage());
                        }
                        up.setString(1, hashed);
                        up.setBytes(2, gcm.seal(plain, SqliteEventLog.aad(o.sourceId(), hashed)));
                        up.setLong(3, o.id());
                        up.addBatch();
                        events++;
                    }
                    up.executeBatch();
                }
                after = chunk.get(chunk.size() - 1).id();
            }
            record Seen(String sourceId, String messageId, long seenAt) {}
            List<Seen> seen = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT source_id, message_id, seen_at FROM dedup");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seen.add(new Seen(rs.getString(1), rs.getString(2), rs.getLong(3)));
                }
            }
            try (PreparedStatement del = c.prepareStatement("DELETE FROM dedup");
                    PreparedStatement ins = c.prepareStatement(
                            "INSERT OR REPLACE INTO dedup(source_id, message_id, seen_at) VALUES (?, ?, ?)")) {
                del.executeUpdate();
                for (Seen s : seen) {
                    ins.setString(1, s.sourceId());
                    ins.setString(2, ids.of(s.messageId()));
                    ins.setLong(3, s.seenAt());
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta(name, value) VALUES (?, ?)")) {
                ps.setString(1, META);
                ps.setBytes(2, HASHED.getBytes(StandardCharsets.UTF_8));
                ps.executeUpdate();
            }
            c.commit();
            return events;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}

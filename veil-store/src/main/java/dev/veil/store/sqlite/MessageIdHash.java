package dev.veil.store.sqlite;

import dev.veil.core.crypto.AesGcm;
import dev.veil.core.crypto.Hkdf;
import dev.veil.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hash that the event log stores instead of a caller's message id: {@code hex(HMAC-SHA-256(K,
 * messageId))} truncated to 32 characters, with {@code K = HKDF-SHA-256(master key, "veil/event-log-ids/v1")}.
 * Thread-safe.
 *
 * <p>Why: message ids are chosen by the caller and can carry PHI ({@code jane@example.org-1741962687440},
 * {@code MRN51293564-1111}). The payload is encrypted, but the id and dedup columns must be readable to
 * deduplicate and to bind each payload (AES-GCM AAD) to its row; a keyed hash serves both without keeping the
 * id. The raw id stays only inside the encrypted payload. 128 bits make a collision between two distinct ids of
 * one source negligible, and without the master key the hash cannot be reversed by guessing.
 */
final class MessageIdHash {

    private static final String HMAC = "HmacSHA256";
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Keyed Macs kept for reuse; more than this many idle ones are dropped. */
    private static final int POOLED_MACS = 64;

    private final SecretKeySpec key;
    // A pool, not a ThreadLocal: ingest runs each request on a new virtual thread, so a ThreadLocal would build
    // and key a Mac (provider lookup, key schedule) for every request instead of once.
    private final ConcurrentLinkedQueue<Mac> macs = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    MessageIdHash(byte[] masterKey) {
        byte[] k = Hkdf.derive(masterKey, "veil/event-log-ids/v1", 32);
        this.key = new SecretKeySpec(k, HMAC);
        Arrays.fill(k, (byte) 0);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("event log: HmacSHA256 unavailable", e);
        }
    }

    /** The stored form of {@code messageId}: 32 lowercase hex characters. */
    String of(String messageId) {
        Mac mac = macs.poll();
        if (mac == null) {
            mac = newMac();
        } else {
            pooled.decrementAndGet();
        }
        byte[] digest = mac.doFinal(messageId.getBytes(StandardCharsets.UTF_8)); // doFinal resets the Mac
        if (pooled.incrementAndGet() <= POOLED_MACS) {
            macs.offer(mac);
        } else {
            pooled.decrementAndGet();
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 16; i++) {
            out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return new String(out, StandardCharsets.US_ASCII);
    }

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
    long migrate(Connection c, AesGcm gcm) throws SQLException {
        if (done(c)) {
            return 0;
        }
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA secure_delete=ON");
        }
        try {
            long events = rewrite(c, gcm);
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

    private long rewrite(Connection c, AesGcm gcm) throws SQLException {
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
                        String hashed = of(o.messageId());
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
                    ins.setString(2, of(s.messageId()));
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

    @Override
    public String toString() {
        return "MessageIdHash[██]";
    }
}

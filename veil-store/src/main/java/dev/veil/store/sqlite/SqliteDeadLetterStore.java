package dev.veil.store.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.veil.core.crypto.AesGcm;
import dev.veil.core.event.RawEvent;
import dev.veil.core.event.RawEventCodec;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.MasterKey;
import dev.veil.store.MessageIdHash;
import dev.veil.store.StoreException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The embedded {@link DeadLetterStore}: {@code deadletters.db} in the data directory (its own file, so dead
 * letters never contend with the event log's writer), WAL, {@code synchronous=FULL}, raw events sealed with
 * AES-256-GCM. Like the event log, it keeps only the keyed hash of a message id ({@link MessageIdHash}), never
 * the id a caller chose (it may carry PHI); a store written before is rewritten once when it opens. Deleted
 * rows are overwritten ({@code secure_delete}). Dead letters are rare, so one connection behind a lock is enough.
 * Thread-safe.
 */
public final class SqliteDeadLetterStore implements DeadLetterStore, AutoCloseable {

    /** File name inside the data directory. */
    public static final String FILE_NAME = "deadletters.db";

    private static final String PURPOSE = "dead-letters";

    private final Path file;
    private static final String META = "message_ids";
    private static final String HASHED = "hmac-sha256-v1";

    private final AesGcm gcm;
    private final MessageIdHash ids;
    private final Connection connection;

    private SqliteDeadLetterStore(Path file, AesGcm gcm, MessageIdHash ids, Connection connection) {
        this.file = file;
        this.gcm = gcm;
        this.ids = ids;
        this.connection = connection;
    }

    /** Opens (creating and migrating if needed) {@code dataDir/deadletters.db}. */
    public static SqliteDeadLetterStore open(Path dataDir, MasterKey key) {
        Path file = dataDir.resolve(FILE_NAME);
        SqliteFiles.createPrivate(file);
        SqliteFiles.migrate(file, "deadletters");
        byte[] master = key.bytes();
        Connection c = SqliteFiles.open(file, false);
        try {
            SqliteDeadLetterStore store =
                    new SqliteDeadLetterStore(file, AesGcm.forPurpose(master, PURPOSE), new MessageIdHash(master), c);
            store.hashMessageIds();
            return store;
        } catch (SQLException e) {
            SqliteFiles.closeQuietly(c);
            throw new StoreException("open dead letter store " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            SqliteFiles.closeQuietly(c);
            throw e;
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    /**
     * Rewrites rows stored before message ids were hashed, in one transaction: each payload is re-sealed under the
     * AAD of the hashed id and {@code message_id} gets the hash. With {@code secure_delete} the old cells are
     * zeroed, and the WAL is truncated afterwards, so the plain ids do not linger in the files.
     */
    private void hashMessageIds() throws SQLException {
        try (var s = connection.createStatement()) {
            s.execute("PRAGMA secure_delete=ON");
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
            ps.setString(1, META);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        record Old(long id, String destinationId, String sourceId, String messageId, byte[] payload) {}
        List<Old> rows = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                        "SELECT id, destination_id, source_id, message_id, payload FROM dead_letters");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Old(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5)));
            }
        }
        connection.setAutoCommit(false);
        try (PreparedStatement up = connection.prepareStatement(
                        "UPDATE dead_letters SET message_id = ?, payload = ? WHERE id = ?");
                PreparedStatement meta = connection.prepareStatement("INSERT INTO meta(name, value) VALUES (?, ?)")) {
            for (Old o : rows) {
                byte[] plain;
                try {
                    plain = gcm.open(o.payload(), aad(o.destinationId(), o.sourceId(), o.messageId()));
                } catch (AesGcm.OpenFailedException e) {
                    throw new StoreException(
                            "dead letter store: hashing message ids: dead letter " + o.id() + " cannot be decrypted: "
                                    + e.getMessage() + "; is this the master key it was written with?");
                }
                String hashed = ids.of(o.messageId());
                up.setString(1, hashed);
                up.setBytes(2, gcm.seal(plain, aad(o.destinationId(), o.sourceId(), hashed)));
                up.setLong(3, o.id());
                up.addBatch();
            }
            up.executeBatch();
            meta.setString(1, META);
            meta.setString(2, HASHED);
            meta.executeUpdate();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw e;
        } finally {
            autoCommit();
        }
        if (!rows.isEmpty()) {
            try (var s = connection.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
    }

    static byte[] aad(String destinationId, String sourceId, String messageId) {
        byte[][] parts = {destinationId.getBytes(UTF_8), sourceId.getBytes(UTF_8), messageId.getBytes(UTF_8)};
        ByteBuffer buf = ByteBuffer.allocate(12 + parts[0].length + parts[1].length + parts[2].length);
        for (byte[] p : parts) {
            buf.putInt(p.length).put(p);
        }
        return buf.array();
    }

    @Override
    public void add(String destinationId, RawEvent event, String reason, Instant failedAt) {
        String hashedId = ids.of(event.messageId());
        byte[] sealed = gcm.seal(RawEventCodec.encode(event), aad(destinationId, event.sourceId(), hashedId));
        synchronized (connection) {
            try (PreparedStatement ps = connection.prepareStatement("INSERT INTO dead_letters(destination_id,"
                    + " source_id, message_id, reason, failed_at, payload) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, destinationId);
                ps.setString(2, event.sourceId());
                ps.setString(3, hashedId);
                ps.setString(4, reason);
                ps.setLong(5, failedAt.toEpochMilli());
                ps.setBytes(6, sealed);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new StoreException("dead letter add for destination " + destinationId + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<DeadLetter> list(String destinationId, Instant since, int max) {
        List<DeadLetter> out = new ArrayList<>();
        if (max <= 0) {
            return out;
        }
        synchronized (connection) {
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT * FROM dead_letters WHERE destination_id = ? AND failed_at >= ? ORDER BY failed_at, id"
                            + " LIMIT ?")) {
                ps.setString(1, destinationId);
                ps.setLong(2, since.toEpochMilli());
                ps.setInt(3, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
            } catch (SQLException e) {
                throw new StoreException(
                        "dead letter list for destination " + destinationId + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public Optional<DeadLetter> get(long id) {
        synchronized (connection) {
            try (PreparedStatement ps = connection.prepareStatement("SELECT * FROM dead_letters WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw new StoreException("dead letter get " + id + ": " + e.getMessage(), e);
            }
        }
    }

    private DeadLetter row(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        String destinationId = rs.getString("destination_id");
        byte[] plain;
        try {
            plain = gcm.open(
                    rs.getBytes("payload"), aad(destinationId, rs.getString("source_id"), rs.getString("message_id")));
        } catch (AesGcm.OpenFailedException e) {
            throw new StoreException("dead letter " + id + " in " + file + " cannot be decrypted: " + e.getMessage()
                    + "; is this the master key the store was written with?");
        }
        long replayed = rs.getLong("replayed_at");
        @Nullable Instant replayedAt = rs.wasNull() ? null : Instant.ofEpochMilli(replayed);
        return new DeadLetter(
                id,
                destinationId,
                RawEventCodec.decode(plain),
                rs.getString("reason"),
                Instant.ofEpochMilli(rs.getLong("failed_at")),
                replayedAt);
    }

    @Override
    public long count(String destinationId) {
        synchronized (connection) {
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT count(*) FROM dead_letters WHERE destination_id = ? AND replayed_at IS NULL")) {
                ps.setString(1, destinationId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            } catch (SQLException e) {
                throw new StoreException(
                        "dead letter count for destination " + destinationId + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void markReplayed(List<Long> ids, Instant replayedAt) {
        synchronized (connection) {
            try (PreparedStatement ps =
                    connection.prepareStatement("UPDATE dead_letters SET replayed_at = ? WHERE id = ?")) {
                connection.setAutoCommit(false);
                for (long id : ids) {
                    ps.setLong(1, replayedAt.toEpochMilli());
                    ps.setLong(2, id);
                    ps.addBatch();
                }
                ps.executeBatch();
                connection.commit();
            } catch (SQLException e) {
                rollback();
                throw new StoreException("dead letter mark replayed (" + ids.size() + " ids): " + e.getMessage(), e);
            } finally {
                autoCommit();
            }
        }
    }

    @Override
    public long purge(Instant cutoff) {
        synchronized (connection) {
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM dead_letters WHERE failed_at < ?")) {
                ps.setLong(1, cutoff.toEpochMilli());
                return ps.executeUpdate();
            } catch (SQLException e) {
                throw new StoreException("dead letter purge: " + e.getMessage(), e);
            }
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the original failure is what the caller needs to see
        }
    }

    private void autoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            throw new StoreException("dead letter store: cannot restore autocommit: " + e.getMessage(), e);
        }
    }

    /** The durability settings of the store's connection (tests). */
    SqliteFiles.Durability durability() {
        synchronized (connection) {
            try {
                return SqliteFiles.durability(connection);
            } catch (SQLException e) {
                throw new StoreException("dead letter store durability: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (connection) {
            SqliteFiles.closeQuietly(connection);
        }
    }
}

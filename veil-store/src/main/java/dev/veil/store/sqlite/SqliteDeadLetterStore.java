package dev.veil.store.sqlite;

import dev.veil.core.crypto.AesGcm;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.MasterKey;
import dev.veil.store.MessageIdHash;
import dev.veil.store.StoreException;
import dev.veil.store.jdbc.JdbcDeadLetterStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The embedded {@link DeadLetterStore}: {@code deadletters.db} in the data directory (its own file, so dead
 * letters never contend with the event log's writer), WAL, {@code synchronous=FULL}, raw events sealed with
 * AES-256-GCM. Like the event log, it keeps only the keyed hash of a message id ({@link MessageIdHash}), never
 * the id a caller chose (it may carry PHI); a store written before is rewritten once when it opens. Deleted
 * rows are overwritten ({@code secure_delete}). Dead letters are rare, so one connection behind a lock is enough.
 * The store itself is {@link JdbcDeadLetterStore}. Thread-safe.
 */
public final class SqliteDeadLetterStore extends JdbcDeadLetterStore {

    /** File name inside the data directory. */
    public static final String FILE_NAME = "deadletters.db";

    private static final String META = "message_ids";
    private static final String HASHED = "hmac-sha256-v1";

    private SqliteDeadLetterStore(SqliteDb db, Path file, AesGcm gcm, MessageIdHash ids) {
        super(db, file.toString(), gcm, ids);
    }

    /** Opens (creating and migrating if needed) {@code dataDir/deadletters.db}. */
    public static SqliteDeadLetterStore open(Path dataDir, MasterKey key) {
        Path file = dataDir.resolve(FILE_NAME);
        SqliteFiles.createPrivate(file);
        SqliteFiles.migrate(file, "deadletters");
        byte[] master = key.bytes();
        SqliteDb db = new SqliteDb("dead letter store", file, false);
        try {
            AesGcm gcm = AesGcm.forPurpose(master, PURPOSE);
            MessageIdHash ids = new MessageIdHash(master);
            db.read("open " + file, c -> {
                hashMessageIds(c, gcm, ids);
                return null;
            });
            return new SqliteDeadLetterStore(db, file, gcm, ids);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        } finally {
            Arrays.fill(master, (byte) 0);
        }
    }

    /**
     * Rewrites rows stored before message ids were hashed, in one transaction: each payload is re-sealed under the
     * AAD of the hashed id and {@code message_id} gets the hash. With {@code secure_delete} (left on for the
     * connection: deleted dead letters are overwritten too) the old cells are zeroed, and the WAL is truncated
     * afterwards, so the plain ids do not linger in the files.
     */
    private static void hashMessageIds(Connection connection, AesGcm gcm, MessageIdHash ids) throws SQLException {
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
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the original failure is what the caller needs to see
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        if (!rows.isEmpty()) {
            try (var s = connection.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
    }

    /** The durability settings of the store's connection (tests). */
    SqliteFiles.Durability durability() {
        return connections().read("durability", SqliteFiles::durability);
    }
}

package dev.veil.store.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.veil.core.crypto.AesGcm;
import dev.veil.core.event.RawEvent;
import dev.veil.core.event.RawEventCodec;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.MessageIdHash;
import dev.veil.store.StoreException;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@link DeadLetterStore} of the SQL backends: table {@code dead_letters}. Raw events are sealed with
 * AES-256-GCM (purpose {@code dead-letters}) before they reach the database, the AAD binding destination, source
 * and the keyed hash of the message id ({@link MessageIdHash}); the id a caller chose is never stored in the clear.
 * Ids are assigned by the database on insert, so writers sharing it add concurrently; each call is one statement
 * or one transaction. Each backend subclasses this class only to open its database. Thread-safe.
 */
public class JdbcDeadLetterStore implements DeadLetterStore, AutoCloseable {

    /** The purpose under which payloads are sealed ({@link AesGcm#forPurpose}). */
    protected static final String PURPOSE = "dead-letters";

    private final SqlConnections db;
    private final String location;
    private final AesGcm gcm;
    private final MessageIdHash ids;

    /**
     * The store over {@code db} (migrated); closing the store closes {@code db}.
     *
     * @param location where the store is, for messages (a file, a schema)
     */
    protected JdbcDeadLetterStore(SqlConnections db, String location, AesGcm gcm, MessageIdHash ids) {
        this.db = db;
        this.location = location;
        this.gcm = gcm;
        this.ids = ids;
    }

    /** The connections the store runs on. */
    protected final SqlConnections connections() {
        return db;
    }

    /** The AAD of a sealed payload: length-prefixed UTF-8 of each part. */
    public static byte[] aad(String destinationId, String sourceId, String messageIdHash) {
        byte[][] parts = {destinationId.getBytes(UTF_8), sourceId.getBytes(UTF_8), messageIdHash.getBytes(UTF_8)};
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
        db.write(
                "add for destination " + destinationId,
                c -> Jdbc.update(
                        c,
                        "INSERT INTO dead_letters(destination_id, source_id, message_id, reason, failed_at, payload)"
                                + " VALUES (?, ?, ?, ?, ?, ?)",
                        destinationId,
                        event.sourceId(),
                        hashedId,
                        reason,
                        failedAt.toEpochMilli(),
                        sealed));
    }

    @Override
    public List<DeadLetter> list(String destinationId, Instant since, int max) {
        if (max <= 0) {
            return List.of();
        }
        return db.read(
                "list for destination " + destinationId,
                c -> Jdbc.query(
                        c,
                        "SELECT * FROM dead_letters WHERE destination_id = ? AND failed_at >= ?"
                                + " ORDER BY failed_at, id LIMIT ?",
                        this::row,
                        destinationId,
                        since.toEpochMilli(),
                        max));
    }

    @Override
    public Optional<DeadLetter> get(long id) {
        return db.read("get " + id, c -> Jdbc.queryOne(c, "SELECT * FROM dead_letters WHERE id = ?", this::row, id));
    }

    private DeadLetter row(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        String destinationId = rs.getString("destination_id");
        byte[] plain;
        try {
            plain = gcm.open(
                    rs.getBytes("payload"), aad(destinationId, rs.getString("source_id"), rs.getString("message_id")));
        } catch (AesGcm.OpenFailedException e) {
            throw new StoreException("dead letter " + id + " in " + location + " cannot be decrypted: " + e.getMessage()
                    + "; is this the master key the store was written with?");
        }
        return new DeadLetter(
                id,
                destinationId,
                RawEventCodec.decode(plain),
                rs.getString("reason"),
                Jdbc.instant(rs, "failed_at"),
                Jdbc.instantOrNull(rs, "replayed_at"));
    }

    @Override
    public long count(String destinationId) {
        return db.read(
                "count for destination " + destinationId,
                c -> Jdbc.queryOne(
                                c,
                                "SELECT count(*) FROM dead_letters WHERE destination_id = ? AND replayed_at IS NULL",
                                rs -> rs.getLong(1),
                                destinationId)
                        .orElse(0L));
    }

    @Override
    public void markReplayed(List<Long> ids, Instant replayedAt) {
        db.write("mark replayed (" + ids.size() + " ids)", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE dead_letters SET replayed_at = ? WHERE id = ?")) {
                for (long id : ids) {
                    ps.setLong(1, replayedAt.toEpochMilli());
                    ps.setLong(2, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public long purge(Instant cutoff) {
        return db.write("purge", c ->
                (long) Jdbc.update(c, "DELETE FROM dead_letters WHERE failed_at < ?", cutoff.toEpochMilli()));
    }

    /** Closes the connections (a view over shared ones leaves them open). */
    @Override
    public void close() {
        db.close();
    }
}

package dev.veil.store.jdbc;

import dev.veil.store.DictionaryStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@link DictionaryStore} of the SQL backends: tables {@code fields}, {@code flows} and {@code learner}. Counts
 * are merged by one upsert per row ({@code count = count + excluded.count}, types OR-ed, first and last sighting
 * kept), so learners writing one database add up instead of overwriting. Only names, types and counts are stored,
 * never values. Each backend subclasses this class only to open its database. Thread-safe.
 */
public class JdbcDictionaryStore implements DictionaryStore {

    private final SqlConnections db;
    private final SqlDialect dialect;

    /** The store over {@code db} (migrated); closing the store closes {@code db}. */
    protected JdbcDictionaryStore(SqlConnections db, SqlDialect dialect) {
        this.db = db;
        this.dialect = dialect;
    }

    /** One bit per {@link FieldType}, by ordinal: the {@code types} column. */
    static int typeBits(Set<FieldType> types) {
        int bits = 0;
        for (FieldType t : types) {
            bits |= 1 << t.ordinal();
        }
        return bits;
    }

    static Set<FieldType> types(int bits) {
        EnumSet<FieldType> out = EnumSet.noneOf(FieldType.class);
        for (FieldType t : FieldType.values()) {
            if ((bits & (1 << t.ordinal())) != 0) {
                out.add(t);
            }
        }
        return out;
    }

    @Override
    public void record(List<FieldObservation> observations, long learnedThrough) {
        db.write("record", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO fields(event_type, event_name, path, types, count, first_seen, last_seen)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_type, event_name, path) DO UPDATE"
                            + " SET types = fields.types | excluded.types, count = fields.count + excluded.count,"
                            + " last_seen = " + dialect.greatest("fields.last_seen", "excluded.last_seen") + ","
                            + " first_seen = " + dialect.least("fields.first_seen", "excluded.first_seen"))) {
                for (FieldObservation o : observations) {
                    long at = o.seenAt().toEpochMilli();
                    ps.setString(1, o.event().type());
                    ps.setString(2, o.event().name());
                    ps.setString(3, o.path());
                    ps.setInt(4, typeBits(o.types()));
                    ps.setLong(5, o.count());
                    ps.setLong(6, at);
                    ps.setLong(7, at);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            Jdbc.update(
                    c,
                    "INSERT INTO learner(id, through) VALUES (1, ?) ON CONFLICT (id) DO UPDATE"
                            + " SET through = excluded.through",
                    learnedThrough);
            return null;
        });
    }

    @Override
    public long learnedThrough() {
        return db.read(
                "position",
                c -> Jdbc.queryOne(c, "SELECT through FROM learner WHERE id = 1", rs -> rs.getLong(1))
                        .orElse(0L));
    }

    @Override
    public List<Entry> entries() {
        return db.read(
                "entries",
                c -> Jdbc.query(
                        c,
                        "SELECT * FROM fields ORDER BY event_type <> 'track', " + dialect.binaryOrder("event_type")
                                + ", " + dialect.binaryOrder("event_name") + ", " + dialect.binaryOrder("path"),
                        JdbcDictionaryStore::entry));
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        return new Entry(
                new EventKey(rs.getString("event_type"), rs.getString("event_name")),
                rs.getString("path"),
                types(rs.getInt("types")),
                rs.getLong("count"),
                Jdbc.instant(rs, "first_seen"),
                Jdbc.instant(rs, "last_seen"),
                Jdbc.instantOrNull(rs, "reviewed_at"),
                rs.getString("reviewed_by"));
    }

    @Override
    public long size() {
        return db.read(
                "size",
                c -> Jdbc.queryOne(c, "SELECT count(*) FROM fields", rs -> rs.getLong(1))
                        .orElse(0L));
    }

    @Override
    public int markReviewed(@Nullable EventKey event, Instant at, String reviewer) {
        String sql = "UPDATE fields SET reviewed_at = ?, reviewed_by = ? WHERE first_seen <= ?"
                + (event == null ? "" : " AND event_type = ? AND event_name = ?");
        return db.write(
                "mark reviewed",
                c -> event == null
                        ? Jdbc.update(c, sql, at.toEpochMilli(), reviewer, at.toEpochMilli())
                        : Jdbc.update(
                                c, sql, at.toEpochMilli(), reviewer, at.toEpochMilli(), event.type(), event.name()));
    }

    @Override
    public void recordFlows(List<Flow> flows) {
        if (flows.isEmpty()) {
            return;
        }
        db.write("record flows", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO flows(destination_id, event_type, event_name, path, released, redacted, last_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (destination_id, event_type, event_name, path) DO UPDATE"
                            + " SET released = flows.released + excluded.released,"
                            + " redacted = flows.redacted + excluded.redacted,"
                            + " last_at = " + dialect.greatest("flows.last_at", "excluded.last_at"))) {
                for (Flow f : flows) {
                    ps.setString(1, f.destinationId());
                    ps.setString(2, f.event().type());
                    ps.setString(3, f.event().name());
                    ps.setString(4, f.path());
                    ps.setLong(5, f.released());
                    ps.setLong(6, f.redacted());
                    ps.setLong(7, f.lastAt().toEpochMilli());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<Flow> flows() {
        return db.read(
                "flows",
                c -> Jdbc.query(
                        c,
                        "SELECT * FROM flows ORDER BY " + dialect.binaryOrder("destination_id") + ", "
                                + dialect.binaryOrder("event_type") + ", " + dialect.binaryOrder("event_name") + ", "
                                + dialect.binaryOrder("path"),
                        rs -> new Flow(
                                rs.getString("destination_id"),
                                new EventKey(rs.getString("event_type"), rs.getString("event_name")),
                                rs.getString("path"),
                                rs.getLong("released"),
                                rs.getLong("redacted"),
                                Jdbc.instant(rs, "last_at"))));
    }

    /** Closes the connections (a view over shared ones leaves them open). */
    @Override
    public void close() {
        db.close();
    }
}

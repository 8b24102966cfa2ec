package dev.veil.store.sqlite;

import dev.veil.store.DictionaryStore;
import dev.veil.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The embedded {@link DictionaryStore}: {@code dictionary.db} in the data directory, its own file so the
 * learner's writes never contend with the event log or the config store. Writes come in aggregated batches a
 * few times a minute, so one connection behind a lock is enough. Thread-safe.
 */
public final class SqliteDictionaryStore implements DictionaryStore {

    /** File name inside the data directory. */
    public static final String FILE_NAME = "dictionary.db";

    private final Connection connection;

    private SqliteDictionaryStore(Connection connection) {
        this.connection = connection;
    }

    /** Opens (creating and migrating if needed) {@code dataDir/dictionary.db}. */
    public static SqliteDictionaryStore open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        SqliteFiles.createPrivate(file);
        SqliteFiles.migrate(file, "dictionary");
        return new SqliteDictionaryStore(SqliteFiles.open(file, false));
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
        synchronized (connection) {
            inTransaction("dictionary record", () -> {
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO fields(event_type, event_name, path, types, count, first_seen, last_seen)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_type, event_name, path) DO UPDATE"
                                + " SET types = types | excluded.types, count = count + excluded.count,"
                                + " last_seen = MAX(last_seen, excluded.last_seen),"
                                + " first_seen = MIN(first_seen, excluded.first_seen)")) {
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
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO learner(id, through) VALUES (1, ?) ON CONFLICT (id) DO UPDATE"
                                + " SET through = excluded.through")) {
                    ps.setLong(1, learnedThrough);
                    ps.executeUpdate();
                }
            });
        }
    }

    @Override
    public long learnedThrough() {
        synchronized (connection) {
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT through FROM learner WHERE id = 1")) {
                return rs.next() ? rs.getLong(1) : 0;
            } catch (SQLException e) {
                throw new StoreException("dictionary position: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        synchronized (connection) {
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT * FROM fields ORDER BY event_type <> 'track', event_type, event_name, path")) {
                while (rs.next()) {
                    long reviewed = rs.getLong("reviewed_at");
                    Instant reviewedAt = rs.wasNull() ? null : Instant.ofEpochMilli(reviewed);
                    out.add(new Entry(
                            new EventKey(rs.getString("event_type"), rs.getString("event_name")),
                            rs.getString("path"),
                            types(rs.getInt("types")),
                            rs.getLong("count"),
                            Instant.ofEpochMilli(rs.getLong("first_seen")),
                            Instant.ofEpochMilli(rs.getLong("last_seen")),
                            reviewedAt,
                            rs.getString("reviewed_by")));
                }
            } catch (SQLException e) {
                throw new StoreException("dictionary entries: " + e.getMessage(), e);
            }
        }
        return out;
    }

    @Override
    public long size() {
        synchronized (connection) {
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM fields")) {
                return rs.next() ? rs.getLong(1) : 0;
            } catch (SQLException e) {
                throw new StoreException("dictionary size: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public int markReviewed(@Nullable EventKey event, Instant at, String reviewer) {
        String sql = "UPDATE fields SET reviewed_at = ?, reviewed_by = ? WHERE first_seen <= ?"
                + (event == null ? "" : " AND event_type = ? AND event_name = ?");
        synchronized (connection) {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, reviewer);
                ps.setLong(3, at.toEpochMilli());
                if (event != null) {
                    ps.setString(4, event.type());
                    ps.setString(5, event.name());
                }
                return ps.executeUpdate();
            } catch (SQLException e) {
                throw new StoreException("dictionary mark reviewed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void recordFlows(List<Flow> flows) {
        if (flows.isEmpty()) {
            return;
        }
        synchronized (connection) {
            inTransaction("dictionary record flows", () -> {
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO flows(destination_id, event_type, event_name, path, released, redacted, last_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (destination_id, event_type, event_name, path) DO UPDATE"
                                + " SET released = released + excluded.released,"
                                + " redacted = redacted + excluded.redacted,"
                                + " last_at = MAX(last_at, excluded.last_at)")) {
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
            });
        }
    }

    @Override
    public List<Flow> flows() {
        List<Flow> out = new ArrayList<>();
        synchronized (connection) {
            try (Statement s = connection.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT * FROM flows ORDER BY destination_id, event_type, event_name, path")) {
                while (rs.next()) {
                    out.add(new Flow(
                            rs.getString("destination_id"),
                            new EventKey(rs.getString("event_type"), rs.getString("event_name")),
                            rs.getString("path"),
                            rs.getLong("released"),
                            rs.getLong("redacted"),
                            Instant.ofEpochMilli(rs.getLong("last_at"))));
                }
            } catch (SQLException e) {
                throw new StoreException("dictionary flows: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private interface Work {
        void run() throws SQLException;
    }

    private void inTransaction(String operation, Work work) {
        try {
            connection.setAutoCommit(false);
            try {
                work.run();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(operation + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        synchronized (connection) {
            SqliteFiles.closeQuietly(connection);
        }
    }
}

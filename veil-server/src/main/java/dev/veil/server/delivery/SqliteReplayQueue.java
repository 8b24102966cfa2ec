package dev.veil.server.delivery;

import dev.veil.store.StoreException;
import dev.veil.store.sqlite.SqliteStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The replay queue in its own small SQLite file ({@code replay.db} in the data directory). */
public final class SqliteReplayQueue implements ReplayQueue {
    /** The file name inside the data directory. */
    public static final String FILE_NAME = "replay.db";

    private final Connection connection;

    private SqliteReplayQueue(Connection connection) {
        this.connection = connection;
    }

    /** Opens (creating if needed) the replay queue of a data directory. */
    public static SqliteReplayQueue open(Path dataDir) {
        try {
            // private like every other store file (0600 in a 0700 directory)
            SqliteStores.createPrivateFile(dataDir.resolve(FILE_NAME));
            Connection c = DriverManager.getConnection(
                    "jdbc:sqlite:" + dataDir.resolve(FILE_NAME).toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS replay ("
                        + " dead_letter_id INTEGER PRIMARY KEY,"
                        + " destination TEXT NOT NULL,"
                        + " requested_at TEXT NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS replay_destination ON replay(destination, requested_at)");
            }
            return new SqliteReplayQueue(c);
        } catch (SQLException e) {
            throw new StoreException(
                    "open replay queue in data directory: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public synchronized int enqueue(String destinationId, List<Long> deadLetterIds, Instant requestedAt) {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT OR IGNORE INTO replay(dead_letter_id, destination, requested_at) VALUES (?, ?, ?)")) {
            int added = 0;
            connection.setAutoCommit(false);
            for (long id : deadLetterIds) {
                ps.setLong(1, id);
                ps.setString(2, destinationId);
                ps.setString(3, requestedAt.toString());
                added += ps.executeUpdate();
            }
            connection.commit();
            return added;
        } catch (SQLException e) {
            rollback();
            throw new StoreException("enqueue replay for destination " + destinationId + ": " + e.getMessage(), e);
        } finally {
            autoCommit();
        }
    }

    @Override
    public synchronized List<Long> pending(String destinationId, int max) {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT dead_letter_id FROM replay WHERE destination = ? ORDER BY requested_at, dead_letter_id LIMIT ?")) {
            ps.setString(1, destinationId);
            ps.setInt(2, max);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new StoreException("read replay queue of destination " + destinationId + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean isQueued(long deadLetterId) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM replay WHERE dead_letter_id = ?")) {
            ps.setLong(1, deadLetterId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StoreException("read replay queue: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void done(List<Long> deadLetterIds) {
        try (PreparedStatement ps = connection.prepareStatement("DELETE FROM replay WHERE dead_letter_id = ?")) {
            connection.setAutoCommit(false);
            for (long id : deadLetterIds) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            rollback();
            throw new StoreException("remove replayed dead letters from the queue: " + e.getMessage(), e);
        } finally {
            autoCommit();
        }
    }

    private void rollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The original failure is the one worth reporting.
        }
    }

    private void autoCommit() {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException ignored) {
            // Next statement will report a broken connection.
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("close replay queue: " + e.getMessage(), e);
        }
    }
}

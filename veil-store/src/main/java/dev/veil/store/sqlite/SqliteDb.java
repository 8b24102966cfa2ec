package dev.veil.store.sqlite;

import dev.veil.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a SQLite file behind a lock, with read and write-transaction helpers that turn
 * {@link SQLException} into {@link StoreException} naming the store and operation. Write transactions begin
 * {@code IMMEDIATE}, so read-then-write is safe with another process writing the same file. Thread-safe.
 */
final class SqliteDb implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteDb.class);

    /** Work on the connection. */
    @FunctionalInterface
    interface Work<R> {
        R apply(Connection c) throws SQLException;
    }

    /** Maps one result row. */
    @FunctionalInterface
    interface Row<R> {
        R map(ResultSet rs) throws SQLException;
    }

    private final String name;
    private final Connection connection;

    SqliteDb(String name, Path file) {
        this.name = name;
        this.connection = SqliteFiles.open(file, false, true);
    }

    <R> R read(String operation, Work<R> work) {
        synchronized (connection) {
            try {
                return work.apply(connection);
            } catch (SQLException e) {
                throw new StoreException(name + " " + operation + ": " + e.getMessage(), e);
            }
        }
    }

    <R> R write(String operation, Work<R> work) {
        synchronized (connection) {
            try {
                connection.setAutoCommit(false);
                R result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException ignored) {
                    // report the original failure
                }
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new StoreException(name + " " + operation + ": " + e.getMessage(), e);
            } finally {
                try {
                    connection.setAutoCommit(true);
                } catch (SQLException e) {
                    LOG.warn(
                            "{}: cannot restore autocommit: {}",
                            name,
                            e.getClass().getSimpleName());
                }
            }
        }
    }

    /** Runs {@code sql} with {@code args} and maps every row. */
    static <R> List<R> query(Connection c, String sql, Row<R> row, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<R> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        }
    }

    static <R> Optional<R> queryOne(Connection c, String sql, Row<R> row, Object... args) throws SQLException {
        List<R> all = query(c, sql, row, args);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Runs an insert/update/delete; returns the changed row count. */
    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof byte[] b) {
                ps.setBytes(i + 1, b);
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    /** A nullable epoch-millis column as an instant. */
    static java.time.@org.jspecify.annotations.Nullable Instant instantOrNull(ResultSet rs, String column)
            throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : java.time.Instant.ofEpochMilli(v);
    }

    static java.time.Instant instant(ResultSet rs, String column) throws SQLException {
        return java.time.Instant.ofEpochMilli(rs.getLong(column));
    }

    @Override
    public void close() {
        synchronized (connection) {
            SqliteFiles.closeQuietly(connection);
        }
    }
}

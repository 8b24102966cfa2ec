package dev.veil.store.sqlite;

import dev.veil.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
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

    @Override
    public void close() {
        synchronized (connection) {
            SqliteFiles.closeQuietly(connection);
        }
    }
}

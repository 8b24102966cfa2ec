package dev.veil.store.sqlite;

import dev.veil.store.StoreException;
import dev.veil.store.jdbc.SqlConnections;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SqlConnections} of one SQLite file: one connection behind a lock (SQLite has one writer per file
 * anyway), with read and write-transaction helpers that turn {@link SQLException} into {@link StoreException}
 * naming the store and operation. Opened {@code immediate}, write transactions begin {@code IMMEDIATE}, so
 * read-then-write is safe with another process writing the same file. Thread-safe.
 */
final class SqliteDb implements SqlConnections {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteDb.class);

    private final String name;
    private final Connection connection;

    SqliteDb(String name, Path file) {
        this(name, file, true);
    }

    SqliteDb(String name, Path file, boolean immediate) {
        this.name = name;
        this.connection = SqliteFiles.open(file, false, immediate);
    }

    @Override
    public <R> R read(String operation, Work<R> work) {
        synchronized (connection) {
            try {
                return work.apply(connection);
            } catch (SQLException e) {
                throw new StoreException(name + " " + operation + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public <R> R write(String operation, Work<R> work) {
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

    /**
     * One deferred read transaction ({@code BEGIN DEFERRED}, whatever mode the connection's write transactions
     * use): in WAL mode it reads one snapshot without taking the file's write lock, so writers in other processes
     * go on meanwhile.
     */
    @Override
    public <R> R snapshot(String operation, Work<R> work) {
        synchronized (connection) {
            try {
                exec("BEGIN DEFERRED");
                try {
                    R result = work.apply(connection);
                    exec("COMMIT");
                    return result;
                } catch (SQLException | RuntimeException e) {
                    try {
                        exec("ROLLBACK");
                    } catch (SQLException ignored) {
                        // report the original failure
                    }
                    throw e;
                }
            } catch (SQLException e) {
                throw new StoreException(name + " " + operation + ": " + e.getMessage(), e);
            }
        }
    }

    private void exec(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        synchronized (connection) {
            SqliteFiles.closeQuietly(connection);
        }
    }
}

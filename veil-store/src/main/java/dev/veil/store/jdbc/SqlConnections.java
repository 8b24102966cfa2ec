package dev.veil.store.jdbc;

import dev.veil.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the JDBC stores get their connections and transactions: SQLite gives one connection behind a lock (one
 * writer per file), PostgreSQL a pool. Each call hands {@code work} a connection and turns a {@link SQLException}
 * into a {@link StoreException} naming the store and {@code operation}; a {@link RuntimeException} from
 * {@code work} passes through unchanged. Implementations are thread-safe.
 */
public interface SqlConnections extends AutoCloseable {

    /** Work on a connection. */
    @FunctionalInterface
    interface Work<R> {
        R apply(Connection c) throws SQLException;
    }

    /** Runs {@code work} in auto-commit mode (each statement sees the latest commits). */
    <R> R read(String operation, Work<R> work);

    /**
     * Runs {@code work} in one write transaction: committed if it returns, rolled back if it throws. Rows it reads
     * with {@link SqlDialect#forUpdate()} stay locked until the end, so a read-then-write cannot interleave with
     * another writer's.
     */
    <R> R write(String operation, Work<R> work);

    /** Runs {@code work} in one read-only transaction in which every statement sees the same snapshot. */
    <R> R snapshot(String operation, Work<R> work);

    /** Releases the connections (a view over shared connections leaves them open). */
    @Override
    void close();
}

package dev.veil.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the SQL of the JDBC stores says differently per database. Everything else they send is the common ground
 * of SQLite (3.35 or later) and PostgreSQL: {@code INSERT ... ON CONFLICT (columns) DO UPDATE/NOTHING},
 * {@code RETURNING}, {@code LIMIT/OFFSET}, {@code substr}, {@code CAST(... AS BIGINT)}, booleans bound as Java
 * booleans, binary values as byte arrays. A new backend implements this interface (and a {@link SqlConnections}),
 * not another copy of each store. Implementations are stateless and thread-safe.
 */
public interface SqlDialect {

    /** {@code column} (text) as an {@code ORDER BY} term that sorts by code point, whatever the database locale. */
    String binaryOrder(String column);

    /**
     * The suffix of a {@code SELECT} inside {@link SqlConnections#write} that locks the rows it reads until the
     * transaction ends ({@code ""} where a write transaction already excludes every other writer).
     */
    String forUpdate();

    /**
     * Serializes, until the transaction ends, the writers of {@code table} that number rows "max + 1"; readers
     * are not blocked. A no-op where a write transaction already excludes every other writer.
     */
    void lockForNumbering(Connection c, String table) throws SQLException;

    /** The larger of two numeric expressions. */
    String greatest(String a, String b);

    /** The smaller of two numeric expressions. */
    String least(String a, String b);
}

package dev.veil.store.sqlite;

import dev.veil.store.jdbc.SqlDialect;
import java.sql.Connection;

/**
 * SQLite's {@link SqlDialect}: text compares by bytes (code points for UTF-8) by default, and a write transaction
 * ({@code BEGIN IMMEDIATE} on {@link SqliteDb}) already excludes every other writer of the file, so there is
 * nothing to lock row by row or table by table.
 */
final class SqliteDialect implements SqlDialect {

    static final SqliteDialect INSTANCE = new SqliteDialect();

    private SqliteDialect() {}

    @Override
    public String binaryOrder(String column) {
        return column;
    }

    @Override
    public String forUpdate() {
        return "";
    }

    @Override
    public void lockForNumbering(Connection c, String table) {
        // the write transaction holds the file's one write lock
    }

    @Override
    public String greatest(String a, String b) {
        return "MAX(" + a + ", " + b + ")";
    }

    @Override
    public String least(String a, String b) {
        return "MIN(" + a + ", " + b + ")";
    }
}

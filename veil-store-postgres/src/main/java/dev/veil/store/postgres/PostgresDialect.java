package dev.veil.store.postgres;

import dev.veil.store.jdbc.Jdbc;
import dev.veil.store.jdbc.SqlDialect;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * PostgreSQL's {@link SqlDialect}: several servers may write one schema at {@code READ COMMITTED}, so a
 * read-then-write locks the rows it read ({@code FOR UPDATE}) and "max + 1" numbering locks the table in
 * {@code SHARE ROW EXCLUSIVE} mode (numberers serialize, readers do not wait). Text sorts by code point under
 * collation {@code "C"}, whatever the database's locale, as SQLite sorts it.
 */
final class PostgresDialect implements SqlDialect {

    static final PostgresDialect INSTANCE = new PostgresDialect();

    private PostgresDialect() {}

    @Override
    public String binaryOrder(String column) {
        return column + " COLLATE \"C\"";
    }

    @Override
    public String forUpdate() {
        return " FOR UPDATE";
    }

    @Override
    public void lockForNumbering(Connection c, String table) throws SQLException {
        Jdbc.update(c, "LOCK TABLE " + table + " IN SHARE ROW EXCLUSIVE MODE");
    }

    @Override
    public String greatest(String a, String b) {
        return "GREATEST(" + a + ", " + b + ")";
    }

    @Override
    public String least(String a, String b) {
        return "LEAST(" + a + ", " + b + ")";
    }
}

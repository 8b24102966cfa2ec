package dev.veil.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The plain JDBC steps every SQL backend of the store SPIs shares (SQLite here, PostgreSQL in
 * {@code veil-store-postgres}): run a statement with positional arguments, map rows, read epoch-millis columns.
 * Transactions, connections and error translation stay with each backend.
 */
public final class Jdbc {

    private Jdbc() {}

    /** Maps one result row. */
    @FunctionalInterface
    public interface Row<R> {
        R map(ResultSet rs) throws SQLException;
    }

    /** Runs {@code sql} with {@code args} and maps every row. */
    public static <R> List<R> query(Connection c, String sql, Row<R> row, @Nullable Object... args)
            throws SQLException {
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

    /** The first row {@code sql} yields, if any. */
    public static <R> Optional<R> queryOne(Connection c, String sql, Row<R> row, @Nullable Object... args)
            throws SQLException {
        List<R> all = query(c, sql, row, args);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Runs an insert/update/delete; returns the changed row count. */
    public static int update(Connection c, String sql, @Nullable Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, @Nullable Object... args) throws SQLException {
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
    public static @Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    /** An epoch-millis column as an instant. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        return Instant.ofEpochMilli(rs.getLong(column));
    }
}

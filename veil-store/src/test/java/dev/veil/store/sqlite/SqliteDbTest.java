package dev.veil.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.jdbc.Jdbc;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite connections promise the JDBC stores beyond plain reads and writes. */
class SqliteDbTest {

    @TempDir
    Path dir;

    @Test
    void a_snapshot_sees_one_state_and_does_not_hold_back_a_writer_in_another_process() {
        Path file = dir.resolve(SqliteConfigStore.FILE_NAME);
        SqliteFiles.createPrivate(file);
        SqliteFiles.migrate(file, "config");
        try (SqliteDb reader = new SqliteDb("reader", file);
                SqliteDb other = new SqliteDb("other process", file)) {
            List<Long> counts = reader.snapshot("count twice", c -> {
                long before = count(c);
                // Another connection (as a CLI process would) commits while the snapshot is open: with
                // BEGIN IMMEDIATE here it would wait for the busy timeout and fail.
                other.write("insert", w -> Jdbc.update(w, "INSERT INTO admin_settings(name, value) VALUES ('x', '1')"));
                return List.of(before, count(c));
            });
            assertThat(counts).containsExactly(0L, 0L);
            assertThat(reader.read("count after", SqliteDbTest::count)).isEqualTo(1L);
        }
    }

    private static long count(Connection c) throws SQLException {
        return Jdbc.queryOne(c, "SELECT count(*) FROM admin_settings", rs -> rs.getLong(1))
                .orElseThrow();
    }
}

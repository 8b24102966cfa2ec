package dev.veil.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database already migrated is not handed to Flyway again; anything else still is. */
class SqliteFilesTest {

    @TempDir
    Path dir;

    @Test
    void the_latest_versions_match_the_migration_resources() throws Exception {
        Path db = Path.of(SqliteFiles.class.getClassLoader().getResource("db").toURI());
        Map<String, Integer> found = new TreeMap<>();
        Pattern version = Pattern.compile("V(\\d+)__.*\\.sql");
        try (Stream<Path> dirs = Files.list(db)) {
            for (Path d : dirs.toList()) {
                try (Stream<Path> files = Files.list(d)) {
                    for (Path f : files.toList()) {
                        Matcher m = version.matcher(f.getFileName().toString());
                        if (m.matches()) {
                            found.merge(d.getFileName().toString(), Integer.parseInt(m.group(1)), Math::max);
                        }
                    }
                }
            }
        }
        assertThat(found).isEqualTo(new TreeMap<>(SqliteFiles.LATEST_VERSION));
    }

    @Test
    void only_a_database_with_every_migration_applied_is_up_to_date() throws Exception {
        Path db = dir.resolve("deadletters.db");
        assertThat(SqliteFiles.upToDate(db, "deadletters")).as("absent").isFalse();
        SqliteFiles.createPrivate(db);
        assertThat(SqliteFiles.upToDate(db, "deadletters")).as("empty").isFalse();

        SqliteFiles.migrate(db, "deadletters");
        assertThat(SqliteFiles.upToDate(db, "deadletters")).isTrue();
        assertThat(SqliteFiles.upToDate(db, "dictionary"))
                .as("a store with fewer migrations")
                .isFalse();

        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
                var s = c.createStatement()) {
            s.execute("UPDATE flyway_schema_history SET success = 0 WHERE version = '2'");
        }
        assertThat(SqliteFiles.upToDate(db, "deadletters"))
                .as("a failed migration")
                .isFalse();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
                var s = c.createStatement()) {
            s.execute("DELETE FROM flyway_schema_history WHERE version = '2'");
        }
        assertThat(SqliteFiles.upToDate(db, "deadletters"))
                .as("one migration behind")
                .isFalse();
    }
}

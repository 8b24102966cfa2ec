package dev.veil.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise ("200 only after fsync") rests on SQLite settings no crash test can see: a kill -9
 * loses nothing with {@code synchronous=NORMAL} too, a power cut does. So the settings of the live connections
 * are read back from SQLite and asserted: WAL journal and {@code synchronous=FULL} (2).
 */
class DurabilitySettingsTest {

    private static final SqliteFiles.Durability WAL_FULL = new SqliteFiles.Durability("wal", 2);

    @TempDir
    Path dir;

    @Test
    void every_store_connection_is_wal_and_fully_synchronous() {
        try (SqliteStores stores = SqliteStores.open(dir, MasterKey.random(), EventLogOptions.defaults())) {
            assertThat(stores.eventLog().writerDurability())
                    .as("events.db writer")
                    .isEqualTo(WAL_FULL);
            assertThat(stores.deadLetters().durability()).as("deadletters.db").isEqualTo(WAL_FULL);
            assertThat(stores.config().durability()).as("config.db").isEqualTo(WAL_FULL);
        }
    }

    @Test
    void every_connection_opened_for_a_store_is_wal_and_fully_synchronous() throws Exception {
        for (boolean readOnly : new boolean[] {false, true}) {
            for (boolean immediate : new boolean[] {false, true}) {
                Connection c = SqliteFiles.open(dir.resolve("any.db"), readOnly, immediate);
                try {
                    assertThat(SqliteFiles.durability(c))
                            .as("readOnly=%s immediate=%s", readOnly, immediate)
                            .isEqualTo(WAL_FULL);
                } finally {
                    SqliteFiles.closeQuietly(c);
                }
            }
        }
    }

    @Test
    void the_check_sees_a_regression_to_normal() throws Exception {
        Connection c = SqliteFiles.open(dir.resolve("any.db"), false);
        try (var s = c.createStatement()) {
            s.execute("PRAGMA synchronous=NORMAL");
            assertThat(SqliteFiles.durability(c)).isNotEqualTo(WAL_FULL);
        } finally {
            SqliteFiles.closeQuietly(c);
        }
    }
}

package dev.veil.server;

import static dev.veil.store.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.server.config.ConfigException;
import dev.veil.server.config.ServerConfig;
import dev.veil.store.rocksdb.RocksEventLog;
import dev.veil.store.sqlite.SqliteEventLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StoreBackends} opens the event log the config names ({@code eventLog:}), and refuses a data directory that
 * holds the other kind instead of starting a second, empty log beside it.
 */
class EventLogBackendTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    private ServerConfig config(ServerConfig.EventLogKind kind) {
        return ServerConfig.defaults().withDataDir(dir.resolve("data")).withEventLog(kind);
    }

    @Test
    void rocksdb_keeps_the_events_in_events_rocksdb_and_the_control_stores_in_sqlite() throws Exception {
        try (Stores stores = StoreBackends.open(config(ServerConfig.EventLogKind.ROCKSDB))) {
            assertThat(stores.eventLog()).isInstanceOf(RocksEventLog.class);
            stores.eventLog().append(List.of(event("a", T0)));
            assertThat(stores.retention()).isEqualTo(ServerConfig.defaults().retention());
        }
        try (var files = Files.list(dir.resolve("data"))) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .contains(RocksEventLog.DIR_NAME, "config.db", "master.key")
                    .doesNotContain(SqliteEventLog.FILE_NAME);
        }
        try (Stores again = StoreBackends.open(config(ServerConfig.EventLogKind.ROCKSDB))) {
            assertThat(again.eventLog().read(0, 10)).hasSize(1);
        }
    }

    @Test
    void refuses_to_open_a_rocksdb_data_directory_as_sqlite() {
        StoreBackends.open(config(ServerConfig.EventLogKind.ROCKSDB)).close();

        assertThatThrownBy(() -> StoreBackends.open(config(ServerConfig.EventLogKind.SQLITE)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config eventLog: sqlite, but the data directory")
                .hasMessageContaining("holds a RocksDB event log (events.rocksdb/)")
                .hasMessageContaining("set 'eventLog: rocksdb'");
        assertThat(dir.resolve("data").resolve(SqliteEventLog.FILE_NAME)).doesNotExist();
    }

    @Test
    void refuses_to_open_a_sqlite_data_directory_as_rocksdb() {
        StoreBackends.open(config(ServerConfig.EventLogKind.SQLITE)).close();

        assertThatThrownBy(() -> StoreBackends.open(config(ServerConfig.EventLogKind.ROCKSDB)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config eventLog: rocksdb, but the data directory")
                .hasMessageContaining("holds a SQLite event log (events.db)")
                .hasMessageContaining("set 'eventLog: sqlite'");
        assertThat(RocksEventLog.existsIn(dir.resolve("data"))).isFalse();
    }
}

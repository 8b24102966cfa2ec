package dev.veil.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code eventLog:} key of veil.yaml: sqlite (default) or rocksdb, named as {@code storage:} names kinds. */
class EventLogConfigTest {

    private static ServerConfig parse(String yaml) {
        return ServerConfigLoader.parse(yaml, "veil.yaml", Path.of("/etc/veil"));
    }

    @Test
    void sqlite_is_the_default() {
        assertThat(parse("listen: {port: 1}\n").eventLog()).isEqualTo(ServerConfig.EventLogKind.SQLITE);
        assertThat(parse("").eventLog()).isEqualTo(ServerConfig.EventLogKind.SQLITE);
        assertThat(ServerConfig.defaults().eventLog()).isEqualTo(ServerConfig.EventLogKind.SQLITE);
    }

    @Test
    void rocksdb_can_be_named_either_way_beside_any_storage() {
        assertThat(parse("eventLog: rocksdb\n").eventLog()).isEqualTo(ServerConfig.EventLogKind.ROCKSDB);
        assertThat(parse("eventLog: {kind: rocksdb}\n").eventLog()).isEqualTo(ServerConfig.EventLogKind.ROCKSDB);
        assertThat(parse("eventLog:\n  kind: sqlite\n").eventLog()).isEqualTo(ServerConfig.EventLogKind.SQLITE);
        ServerConfig both = parse("""
                storage: {kind: postgres, url: 'jdbc:postgresql://db/veil', user: veil}
                eventLog: rocksdb
                """);
        assertThat(both.eventLog()).isEqualTo(ServerConfig.EventLogKind.ROCKSDB);
        assertThat(both.storage()).isInstanceOf(ServerConfig.Storage.Postgres.class);
    }

    @Test
    void the_kind_survives_every_other_change() {
        ServerConfig c = parse("eventLog: rocksdb\n");
        assertThat(c.withDataDir(Path.of("/x"))
                        .withStorage(ServerConfig.Storage.SQLITE)
                        .withEphemeralPorts()
                        .eventLog())
                .isEqualTo(ServerConfig.EventLogKind.ROCKSDB);
        assertThat(c.withEventLog(ServerConfig.EventLogKind.SQLITE).eventLog())
                .isEqualTo(ServerConfig.EventLogKind.SQLITE);
    }

    @Test
    void names_the_key_the_allowed_values_and_the_line() {
        assertThatThrownBy(() -> parse("listen: {port: 1}\neventLog: kafka\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config veil.yaml eventLog: must be one of [sqlite, rocksdb] or a mapping with 'kind'"
                        + " (line 2)");
        assertThatThrownBy(() -> parse("eventLog:\n  kind: leveldb\n"))
                .hasMessage("config veil.yaml eventLog.kind: must be one of [sqlite, rocksdb] (line 2)");
        assertThatThrownBy(() -> parse("eventLog:\n  path: /tmp\n"))
                .hasMessageStartingWith("config veil.yaml eventLog.path: unknown key 'path' (known: kind)");
        assertThatThrownBy(() -> parse("eventLog: {}\n"))
                .hasMessageStartingWith("config veil.yaml eventLog.kind: required, one of [sqlite, rocksdb]");
    }
}

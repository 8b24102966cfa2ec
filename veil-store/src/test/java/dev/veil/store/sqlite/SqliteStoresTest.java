package dev.veil.store.sqlite;

import static dev.veil.store.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoresTest {

    @TempDir
    Path dir;

    @Test
    void opens_every_store_in_separate_files_of_one_data_directory() throws Exception {
        Path data = dir.resolve("data");
        MasterKey key = MasterKey.load(data, Map.of());

        try (SqliteStores stores = SqliteStores.open(data, key, EventLogOptions.defaults())) {
            stores.eventLog().append(List.of(event("a", Instant.now())));
            stores.deadLetters().add("ga4", event("b", Instant.now()), "400", Instant.now());
            stores.config().savePolicy("version: 1\n", "test", "");
        }

        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .contains("master.key", "events.db", "deadletters.db", "config.db");
        }
        try (SqliteStores reopened =
                SqliteStores.open(data, MasterKey.load(data, Map.of()), EventLogOptions.defaults())) {
            assertThat(reopened.eventLog().size()).isEqualTo(1);
            assertThat(reopened.deadLetters().count("ga4")).isEqualTo(1);
            assertThat(reopened.config().latestPolicy()).isPresent();
        }
    }
}

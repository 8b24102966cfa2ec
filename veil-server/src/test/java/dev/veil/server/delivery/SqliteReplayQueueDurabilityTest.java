package dev.veil.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code replay.db} is as durable as the other stores: WAL and {@code synchronous=FULL} (2) on its connection. */
class SqliteReplayQueueDurabilityTest {

    @Test
    void the_replay_queue_is_wal_and_fully_synchronous(@TempDir Path dir) {
        try (SqliteReplayQueue queue = SqliteReplayQueue.open(dir)) {
            assertThat(queue.durability()).isEqualTo("wal, synchronous=2");
        }
    }
}

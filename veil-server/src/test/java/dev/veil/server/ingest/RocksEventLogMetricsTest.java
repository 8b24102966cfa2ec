package dev.veil.server.ingest;

import static dev.veil.store.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.rocksdb.RocksEventLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event log writer's meters are registered for the RocksDB log too, and move with its writes. */
class RocksEventLogMetricsTest {

    @TempDir
    Path dir;

    @Test
    void exports_commits_events_write_seconds_and_pending_of_the_rocksdb_writer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RocksEventLog log = RocksEventLog.open(dir, MasterKey.random(), EventLogOptions.defaults())) {
            new IngestMetrics(registry, log);
            log.append(List.of(event("a", Instant.now()), event("b", Instant.now())));

            assertThat(registry.get("veil.eventlog.commits").functionCounter().count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(registry.get("veil.eventlog.committed.events")
                            .functionCounter()
                            .count())
                    .isEqualTo(2);
            assertThat(registry.get("veil.eventlog.writer.commit.seconds")
                            .functionCounter()
                            .count())
                    .isPositive();
            assertThat(registry.get("veil.eventlog.writer.pending").gauge().value())
                    .isZero();
            assertThat(registry.get("veil.eventlog.depth").gauge().value()).isEqualTo(2);
        }
    }
}

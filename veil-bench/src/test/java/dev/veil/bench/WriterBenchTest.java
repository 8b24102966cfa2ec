package dev.veil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./veil bench writer's parts work against both stores (no speed is asserted: figures go to performance.md). */
class WriterBenchTest {

    @TempDir
    Path work;

    @Test
    void each_store_accepts_the_workload_reports_figures_and_its_data_is_removed() throws Exception {
        WriterBench bench = new WriterBench(2, 5, Duration.ZERO, Duration.ofMillis(500), 50, work);
        for (String store : new String[] {"sqlite", "rocksdb", "rocksdb-nosync"}) {
            WriterBench.Row r = bench.measure(store, work.resolve(store));
            assertThat(r.accepted()).as(store).isPositive();
            assertThat(r.duplicates()).as(store).isPositive();
            assertThat(r.bytesOnDisk()).as(store).isPositive();
            assertThat(r.p99Millis()).as(store).isGreaterThan(0);
            assertThat(work.resolve(store)).doesNotExist();
        }
    }
}

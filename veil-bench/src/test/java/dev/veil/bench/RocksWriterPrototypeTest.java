package dev.veil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.event.RawEvent;
import dev.veil.store.EventLog.AppendResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The prototype keeps the guarantees that make ./veil bench writer a fair comparison with SqliteEventLog: dedup
 * inside one batch and across a restart, events readable (decrypted) after close and reopen, offsets continuing.
 */
class RocksWriterPrototypeTest {

    private static final byte[] KEY =
            "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private static RawEvent withId(RawEvent e, String id) {
        return new RawEvent(
                e.sourceId(),
                id,
                e.type(),
                e.receivedAt(),
                e.timestamp(),
                e.message(),
                e.clientIp(),
                e.userAgent(),
                e.gpc());
    }

    @Test
    void dedups_in_a_batch_and_across_restarts_and_reads_back_after_reopen() {
        RawEvent base = BenchFixtures.event();
        try (RocksWriterPrototype log = new RocksWriterPrototype(dir, KEY, Duration.ofHours(24), true)) {
            List<AppendResult> r = log.append(List.of(withId(base, "a"), withId(base, "b"), withId(base, "a")));
            assertThat(r).containsExactly(AppendResult.ACCEPTED, AppendResult.ACCEPTED, AppendResult.DUPLICATE);
            assertThat(log.headOffset()).isEqualTo(2);
        }
        try (RocksWriterPrototype log = new RocksWriterPrototype(dir, KEY, Duration.ofHours(24), true)) {
            assertThat(log.headOffset()).isEqualTo(2);
            assertThat(log.append(List.of(withId(base, "b"), withId(base, "c"))))
                    .containsExactly(AppendResult.DUPLICATE, AppendResult.ACCEPTED);
            assertThat(log.headOffset()).isEqualTo(3);
            assertThat(log.read(1).messageId()).isEqualTo("a");
            assertThat(log.read(3).messageId()).isEqualTo("c");
            assertThat(log.read(3).message()).isEqualTo(base.message());
            assertThat(log.read(4)).isNull();
        }
    }

    @Test
    void concurrent_producers_get_every_event_accepted_once() throws Exception {
        RawEvent base = BenchFixtures.event();
        try (RocksWriterPrototype log = new RocksWriterPrototype(dir, KEY, Duration.ofHours(24), true)) {
            Thread[] threads = new Thread[8];
            for (int t = 0; t < threads.length; t++) {
                int tt = t;
                threads[t] = Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 20; i++) {
                        log.append(List.of(withId(base, "t" + tt + "-" + i), withId(base, "shared-" + i)));
                    }
                });
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(log.headOffset()).isEqualTo(8 * 20 + 20);
        }
    }
}

package dev.veil.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.MasterKey;
import dev.veil.store.MessageIdHash;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MessageIdHashTest {

    @Test
    void many_virtual_threads_at_once_get_the_hashes_one_thread_gets() throws Exception {
        MessageIdHash ids = new MessageIdHash(MasterKey.random().bytes());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            expected.add(ids.of("message-" + i));
        }
        assertThat(expected).doesNotHaveDuplicates().allMatch(h -> h.matches("[0-9a-f]{32}"));
        // Ingest hashes on a new virtual thread per request: the pooled Macs must never be shared mid-hash.
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                runs.add(pool.submit(() -> {
                    List<String> got = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        got.add(ids.of("message-" + i));
                    }
                    return got;
                }));
            }
            for (Future<List<String>> run : runs) {
                assertThat(run.get()).isEqualTo(expected);
            }
        }
    }
}

package dev.veil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.event.RawEvent;
import dev.veil.store.EventLog;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteEventLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No acknowledged event is ever lost: Veil runs as a child process, several threads send batches, the process
 * is killed with SIGKILL mid-stream, restarted on the same data directory, and every messageId that was
 * answered 200 is in the event log exactly once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CrashTest {

    private static final String KEY = "crash-test-write-key";
    private static final int THREADS = 6;
    private static final int BATCH = 10;

    private static final Duration READY = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void every_acknowledged_event_survives_kill_9_exactly_once() throws Exception {
        int port = ServeProcess.freePort();
        Path config = writeConfig(port);
        Set<String> acked = ConcurrentHashMap.newKeySet();

        try (ServeProcess veil = ServeProcess.start(config, port)) {
            veil.awaitReady(READY);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                senders.add(Thread.ofPlatform().start(() -> send(veil, thread, acked)));
            }
            // Kill once a good number of events are acknowledged, while the senders are still going.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acked.size() < 1_500 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            veil.process().destroyForcibly(); // SIGKILL: no shutdown hook, no close, no final fsync
            veil.process().waitFor();
            for (Thread s : senders) {
                s.join();
            }
        }
        assertThat(acked).hasSizeGreaterThan(100);

        // Restart on the same data dir; clients retry some acknowledged ids, which must not double-count.
        try (ServeProcess again = ServeProcess.start(config, port)) {
            again.awaitReady(READY);
            List<String> retried = acked.stream().limit(50).toList();
            assertThat(again.post("/v1/batch", KEY, ServeProcess.trackBatch("Crash Test", retried)))
                    .isEqualTo(200);
            again.process().destroy(); // SIGTERM: clean shutdown so the test can open the files
            assertThat(again.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        Map<String, Integer> stored = new HashMap<>();
        try (EventLog log = SqliteEventLog.open(
                dir.resolve("data"), MasterKey.load(dir.resolve("data")), EventLogOptions.defaults())) {
            long after = 0;
            List<EventLog.LogEntry> page;
            while (!(page = log.read(after, 5_000)).isEmpty()) {
                for (EventLog.LogEntry e : page) {
                    RawEvent ev = e.event();
                    stored.merge(ev.messageId(), 1, Integer::sum);
                    after = e.offset();
                }
            }
        }
        assertThat(acked)
                .allSatisfy(
                        id -> assertThat(stored.get(id)).as("copies of %s", id).isEqualTo(1));
        assertThat(stored.values()).allMatch(n -> n == 1);
    }

    private static void send(ServeProcess veil, int thread, Set<String> acked) {
        for (int b = 0; ; b++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                ids.add("t" + thread + "-b" + b + "-" + i);
            }
            try {
                if (veil.post("/v1/batch", KEY, ServeProcess.trackBatch("Crash Test", ids)) == 200) {
                    acked.addAll(ids);
                }
            } catch (IOException e) {
                return; // the server died: stop sending
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Path writeConfig(int port) throws IOException {
        Files.writeString(dir.resolve("write.key"), KEY + "\n");
        Files.writeString(
                dir.resolve("policy.yaml"),
                "version: 1\nsources:\n  - id: crash\n    name: Crash\n    writeKey: ${file:" + dir.resolve("write.key")
                        + "}\n");
        Path config = dir.resolve("veil.yaml");
        Files.writeString(
                config,
                "listen:\n  host: 127.0.0.1\n  port: " + port + "\ndataDir: data\npolicy: policy.yaml\n"
                        + "management:\n  host: 127.0.0.1\n  port: 0\n");
        return config;
    }
}

package dev.veil.server.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteDeadLetterStore;
import dev.veil.store.sqlite.SqliteEventLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a delivering JVM loses nothing: the restarted engine resumes from the committed cursor. */
class DeliveryCrashTest {
    static final int MAX_EVENTS = 50;
    static final DeliverySettings SETTINGS = DeliverySettings.DEFAULTS.withReadBatch(200);
    private static final int EVENTS = 2000;

    @TempDir
    Path dir;

    @Test
    void a_kill_during_delivery_loses_no_event_and_resends_at_most_one_batch() throws Exception {
        MasterKey key = MasterKey.load(dir);
        try (SqliteEventLog log = SqliteEventLog.open(dir, key, EventLogOptions.defaults())) {
            for (int i = 0; i < EVENTS; i += 500) {
                log.append(Fixtures.tracks("c" + i + "-", 500));
            }
        }
        try (TestSink sink = new TestSink()) {
            // A slow vendor, so the kill lands in the middle of the backlog.
            sink.behave(ids -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return TestSink.Answer.OK;
            });
            Process child = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            DeliveryCrashChild.class.getName(),
                            dir.toString(),
                            sink.url())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child.log").toFile())
                    .start();
            try {
                await().atMost(Duration.ofMinutes(2))
                        .until(() -> sink.acceptedIds().size() >= EVENTS / 4);
            } finally {
                child.destroyForcibly();
                child.waitFor(30, TimeUnit.SECONDS);
            }
            int beforeRestart = sink.acceptedIds().size();
            assertThat(beforeRestart).isLessThan(EVENTS);

            try (EngineHarness h = new EngineHarness(dir)) {
                SqliteEventLog log = SqliteEventLog.open(dir, key, EventLogOptions.defaults());
                SqliteDeadLetterStore deadLetters = SqliteDeadLetterStore.open(dir, key);
                try (log) {
                    h.log = log;
                    h.deadLetters = deadLetters;
                    h.maxEvents = MAX_EVENTS;
                    h.settings = SETTINGS;
                    h.policy.set(Fixtures.policy(Fixtures.destination("crash", sink.url())));
                    h.start();
                    await().atMost(Duration.ofMinutes(2)).until(() -> h.cursor("crash") == EVENTS);
                    h.engine.close();
                } finally {
                    deadLetters.close();
                }
            }
            List<String> accepted = sink.acceptedIds();
            assertThat(new HashSet<>(accepted)).hasSize(EVENTS);
            // Only the batch that was in flight at the kill may be sent twice.
            assertThat(accepted.size() - EVENTS).isBetween(0, SETTINGS.readBatch());
        }
    }
}

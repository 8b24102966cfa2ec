package dev.veil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.fakes.FakeWebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code veil serve} with {@code eventLog: rocksdb}: events are ingested and delivered to a webhook, the
 * process is killed with SIGKILL right after more events were acknowledged, and after a restart on the same data
 * directory every acknowledged event reaches the webhook. Started with {@code eventLog: sqlite} on that data
 * directory, serve refuses with a message naming both kinds instead of starting an empty second log.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RocksServeTest {

    private static final String KEY = "rocks-serve-write-key";
    private static final String SECRET = "rocks-serve-signing-secret-1234";
    private static final Duration READY = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void serve_on_rocksdb_delivers_every_acknowledged_event_across_a_kill_9() throws Exception {
        try (FakeWebhookReceiver vendor = FakeWebhookReceiver.start(SECRET)) {
            int port = ServeProcess.freePort();
            Path config = writeConfig(port, vendor, "rocksdb");
            Set<String> acked = new TreeSet<>();

            try (ServeProcess veil = ServeProcess.start(config, port)) {
                veil.awaitReady(READY);
                List<String> first = ids("a", 20);
                assertThat(veil.post("/v1/batch", KEY, ServeProcess.trackBatch("Rocks Test", first)))
                        .isEqualTo(200);
                acked.addAll(first);
                vendor.awaitAccepted(20, Duration.ofSeconds(60));
                for (int b = 0; b < 5; b++) {
                    List<String> more = ids("b" + b, 20);
                    assertThat(veil.post("/v1/batch", KEY, ServeProcess.trackBatch("Rocks Test", more)))
                            .isEqualTo(200);
                    acked.addAll(more);
                }
                veil.process().destroyForcibly(); // SIGKILL right after the 200s: no close, no flush
                veil.process().waitFor();
            }
            try (var files = Files.list(dir.resolve("data"))) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .contains("events.rocksdb")
                        .doesNotContain("events.db");
            }

            try (ServeProcess veil = ServeProcess.start(config, port)) {
                veil.awaitReady(READY);
                // A client retrying acknowledged ids after the restart gets 200 and adds no copies.
                assertThat(veil.post("/v1/batch", KEY, ServeProcess.trackBatch("Rocks Test", ids("b0", 20))))
                        .isEqualTo(200);
                Awaitility.await()
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> delivered(vendor).size() >= acked.size());
                // The webhook gets pseudonymous message ids (one per original id): as many as were acknowledged,
                // none more (the retried ids were duplicates).
                assertThat(delivered(vendor)).hasSameSizeAs(acked);
                assertThat(vendor.violations()).isEmpty();
                veil.process().destroy(); // SIGTERM: an orderly stop
                assertThat(veil.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(veil.process().exitValue()).isZero();
            }

            Path sqliteConfig = writeConfig(port, vendor, "sqlite");
            try (ServeProcess veil = ServeProcess.start(sqliteConfig, port)) {
                assertThat(veil.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(veil.process().exitValue()).isNotZero();
                assertThat(veil.output())
                        .contains("config eventLog: sqlite, but the data directory")
                        .contains("holds a RocksDB event log (events.rocksdb/)");
            }
            assertThat(dir.resolve("data").resolve("events.db")).doesNotExist();
        }
    }

    /** The distinct message ids the webhook accepted. */
    private static Set<String> delivered(FakeWebhookReceiver vendor) {
        Set<String> ids = new TreeSet<>();
        for (JsonNode e : vendor.accepted()) {
            ids.add(e.path("messageId").asText());
        }
        return ids;
    }

    private static List<String> ids(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(prefix + "-" + i);
        }
        return ids;
    }

    private Path writeConfig(int port, FakeWebhookReceiver vendor, String eventLog) throws Exception {
        Files.writeString(dir.resolve("write.key"), KEY + "\n");
        Files.writeString(dir.resolve("hook.secret"), SECRET + "\n");
        Files.writeString(dir.resolve("policy.yaml"), """
                version: 1
                sources:
                  - id: site
                    name: Site
                    writeKey: ${file:%s}
                destinations:
                  - id: hook
                    type: webhook
                    settings:
                      url: %s/hook
                      signingSecret: ${file:%s}
                    events:
                      allow:
                        - name: Rocks Test
                """.formatted(
                        dir.resolve("write.key"), vendor.baseUrl(), dir.resolve("hook.secret")));
        Path config = dir.resolve("veil.yaml");
        Files.writeString(config, """
                listen: {host: 127.0.0.1, port: %d}
                management: {host: 127.0.0.1, port: 0}
                dataDir: data
                policy: policy.yaml
                eventLog: %s
                """.formatted(port, eventLog));
        return config;
    }
}

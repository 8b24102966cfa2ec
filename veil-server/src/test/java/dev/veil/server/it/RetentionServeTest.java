package dev.veil.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.veil.core.event.RawEvent;
import dev.veil.fakes.FakeWebhookReceiver;
import dev.veil.fakes.Fault;
import dev.veil.store.EventLog;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteDeadLetterStore;
import dev.veil.store.sqlite.SqliteEventLog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention as {@code veil serve} runs it, on its SQLite stores: with {@code retention: 2s}, events every
 * destination has delivered disappear from {@code events.db}, events a destination has not delivered yet stay
 * however old they are, and dead letters older than the retention are deleted from {@code deadletters.db}.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RetentionServeTest {

    private static final String KEY = "retention-test-write-key";
    private static final String SECRET = "retention-hook-secret";

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void serve_purges_delivered_events_and_old_dead_letters_and_keeps_undelivered_events() throws Exception {
        try (FakeWebhookReceiver keep = FakeWebhookReceiver.start(SECRET);
                FakeWebhookReceiver stuck = FakeWebhookReceiver.start(SECRET);
                FakeWebhookReceiver refuse = FakeWebhookReceiver.start(SECRET)) {
            // Every request to `refuse` is answered 400: its events are dead-lettered (and its cursor moves on).
            refuse.faults().failFor(Duration.ofHours(1), Fault.status(400));
            int port = ServeProcess.freePort();
            try (ServeProcess veil = ServeProcess.start(writeConfig(port, keep, stuck, refuse), port)) {
                veil.awaitReady(Duration.ofSeconds(60));
                // Delivery starts a moment after ingest; a destination registered later starts at the log's head.
                await().atMost(Duration.ofSeconds(60))
                        .untilAsserted(() -> assertThat(metrics(veil))
                                .contains("veil_delivery_lag{destination=\"keep\"}")
                                .contains("veil_delivery_lag{destination=\"stuck\"}")
                                .contains("veil_delivery_lag{destination=\"refuse\"}"));
                assertThat(post(veil, ids("delivered-", 5))).isEqualTo(200);
                keep.awaitAccepted(5, Duration.ofSeconds(30));
                stuck.awaitAccepted(5, Duration.ofSeconds(30));

                // `stuck` goes down: what is sent from now on stays undelivered for it.
                stuck.faults().failFor(Duration.ofHours(1), Fault.status(503));
                assertThat(post(veil, ids("undelivered-", 3))).isEqualTo(200);
                keep.awaitAccepted(8, Duration.ofSeconds(30));

                // The 5 delivered events go once they are older than 2 s; the 3 undelivered ones stay.
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            String metrics = metrics(veil);
                            assertThat(gauge(metrics, "veil_eventlog_depth")).isEqualTo(3);
                            assertThat(gauge(metrics, "veil_retention_purged_total{store=\"dead_letters\"}"))
                                    .isEqualTo(8);
                        });
                Thread.sleep(3_000); // several more purge periods: the undelivered events still stay
                assertThat(gauge(metrics(veil), "veil_eventlog_depth")).isEqualTo(3);

                veil.process().destroy(); // SIGTERM: a clean shutdown, so the test can open the files
                assertThat(veil.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        }

        Path data = dir.resolve("data");
        MasterKey key = MasterKey.load(data);
        try (EventLog log = SqliteEventLog.open(data, key, EventLogOptions.defaults())) {
            List<String> left = new ArrayList<>();
            for (EventLog.LogEntry e : log.read(0, 100)) {
                RawEvent ev = e.event();
                left.add(ev.messageId());
                assertThat(ev.receivedAt()).isBefore(Instant.now().minusSeconds(2));
            }
            assertThat(left).containsExactly("undelivered-0", "undelivered-1", "undelivered-2");
        }
        SqliteDeadLetterStore letters = SqliteDeadLetterStore.open(data, key);
        try {
            assertThat(letters.list("refuse", Instant.EPOCH, 100)).isEmpty();
        } finally {
            letters.close();
        }
    }

    private String metrics(ServeProcess veil) throws Exception {
        assertThat(veil.process().isAlive()).as("veil is running").isTrue();
        int management = Integer.parseInt(
                Files.readString(dir.resolve("management.port")).trim());
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/metrics"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static long gauge(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.eE+]+)$", Pattern.MULTILINE)
                .matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    private static List<String> ids(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private static int post(ServeProcess veil, List<String> ids) throws IOException, InterruptedException {
        return veil.post("/v1/batch", KEY, ServeProcess.trackBatch("Signed Up", ids));
    }

    private Path writeConfig(int port, FakeWebhookReceiver... hooks) throws IOException {
        Files.writeString(dir.resolve("write.key"), KEY + "\n");
        Files.writeString(dir.resolve("hook.secret"), SECRET + "\n");
        StringBuilder policy =
                new StringBuilder("version: 1\nsources:\n  - id: site\n    name: Site\n    writeKey: ${file:"
                        + dir.resolve("write.key") + "}\ndestinations:\n");
        String[] names = {"keep", "stuck", "refuse"};
        for (int i = 0; i < hooks.length; i++) {
            policy.append("  - id: ")
                    .append(names[i])
                    .append("\n    type: webhook\n    settings:\n      url: ")
                    .append(hooks[i].baseUrl())
                    .append("/hook\n      signingSecret: ${file:")
                    .append(dir.resolve("hook.secret"))
                    .append("}\n    events:\n      allow:\n        - name: Signed Up\n");
        }
        Files.writeString(dir.resolve("policy.yaml"), policy.toString());
        int management = ServeProcess.freePort();
        Files.writeString(dir.resolve("management.port"), Integer.toString(management));
        Path config = dir.resolve("veil.yaml");
        Files.writeString(
                config,
                "listen:\n  host: 127.0.0.1\n  port: " + port + "\ndataDir: data\npolicy: policy.yaml\n"
                        + "retention: 2s\nmanagement:\n  host: 127.0.0.1\n  port: " + management + "\n");
        return config;
    }
}

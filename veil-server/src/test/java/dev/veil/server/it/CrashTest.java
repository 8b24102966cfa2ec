package dev.veil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.event.RawEvent;
import dev.veil.server.cli.VeilCommand;
import dev.veil.store.EventLog;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteEventLog;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void every_acknowledged_event_survives_kill_9_exactly_once() throws Exception {
        int port = freePort();
        Path config = writeConfig(port);
        Set<String> acked = ConcurrentHashMap.newKeySet();

        Process veil = start(config);
        awaitHealthy(port, veil);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            senders.add(Thread.ofPlatform().start(() -> send(port, thread, acked)));
        }
        // Kill once a good number of events are acknowledged, while the senders are still going.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acked.size() < 1_500 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        veil.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no final fsync
        veil.waitFor();
        for (Thread s : senders) {
            s.join();
        }
        assertThat(acked).hasSizeGreaterThan(100);

        // Restart on the same data dir; clients retry some acknowledged ids, which must not double-count.
        Process again = start(config);
        awaitHealthy(port, again);
        List<String> retried = acked.stream().limit(50).toList();
        assertThat(post(port, batchOf(retried))).isEqualTo(200);
        again.destroy(); // SIGTERM: clean shutdown so the test can open the files
        assertThat(again.waitFor(30, TimeUnit.SECONDS)).isTrue();

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

    private void send(int port, int thread, Set<String> acked) {
        for (int b = 0; ; b++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                ids.add("t" + thread + "-b" + b + "-" + i);
            }
            try {
                if (post(port, batchOf(ids)) == 200) {
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

    private static String batchOf(List<String> ids) {
        StringBuilder sb = new StringBuilder("{\"batch\":[");
        for (int i = 0; i < ids.size(); i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Crash Test\",\"messageId\":\"")
                    .append(ids.get(i))
                    .append("\"}");
        }
        return sb.append("]}").toString();
    }

    private int post(int port, String body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/batch"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
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

    private Process start(Path config) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(
                        java.toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        VeilCommand.class.getName(),
                        "serve",
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(
                        dir.resolve("veil-" + System.nanoTime() + ".log").toFile());
        pb.environment().remove("VEIL_MASTER_KEY");
        return pb.start();
    }

    private void awaitHealthy(int port, Process p) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            if (!p.isAlive()) {
                throw new IllegalStateException("veil exited with " + p.exitValue() + " before becoming ready: "
                        + Files.readString(dir.resolve("veil.log")));
            }
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("veil did not become ready on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

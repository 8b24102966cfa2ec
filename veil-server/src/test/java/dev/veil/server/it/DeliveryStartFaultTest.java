package dev.veil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storage fault while delivery starts (here: {@code replay.db} cannot be opened because a directory is in its
 * place) must not kill a serve process that already answers: it stays up, not ready and retrying, and becomes
 * ready once the fault is gone. Before, such a fault ended the process with "storage failed" (exit 3).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DeliveryStartFaultTest {

    @TempDir
    Path dir;

    @Test
    void a_storage_fault_at_delivery_start_leaves_serve_up_not_ready_and_retrying() throws Exception {
        Path blocker = dir.resolve("data").resolve("replay.db");
        Files.createDirectories(blocker);
        try (ServeProcess veil = ServeProcess.start(dir, "")) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> veil.get("/healthz") == 200 || !veil.process().isAlive());
            assertThat(veil.process().isAlive())
                    .as("alive after the port opened")
                    .isTrue();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> veil.output().contains("delivery start-up failed"));

            // Still serving, not ready, for several retries.
            for (int i = 0; i < 3; i++) {
                assertThat(veil.get("/readyz")).isEqualTo(503);
                Thread.sleep(1_000);
            }
            assertThat(veil.process().isAlive()).isTrue();
            assertThat(track(veil))
                    .as("ingest keeps working: the event log is fine")
                    .isEqualTo(200);

            Files.delete(blocker);
            veil.awaitReady(Duration.ofSeconds(60));
            assertThat(Files.isRegularFile(blocker))
                    .as("replay.db opened on a retry")
                    .isTrue();
        }
    }

    private static int track(ServeProcess veil) throws Exception {
        return veil.post("/v1/track", ServeProcess.KEY, "{\"userId\":\"u\",\"event\":\"E\"}");
    }
}

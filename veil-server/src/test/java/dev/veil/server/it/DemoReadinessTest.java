package dev.veil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.cli.VeilCommand;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code veil demo} has serve's readiness: {@code /readyz} answers 503 until the policy is applied and delivery
 * runs, and a storage fault while delivery starts (here {@code replay.db} cannot be opened: a directory is in its
 * place) leaves it serving, not ready and retrying. Before, the demo's {@code /readyz} said ready as soon as the
 * port opened, and such a fault ended the demo.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DemoReadinessTest {

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void demo_is_not_ready_until_delivery_runs_and_retries_a_storage_fault_at_start() throws Exception {
        Path data = dir.resolve("data");
        Path blocker = data.resolve("replay.db");
        Files.createDirectories(blocker);
        int port = freePort();
        int management = freePort();
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        VeilCommand.class.getName(),
                        "demo",
                        "--port",
                        Integer.toString(port),
                        "--management-port",
                        Integer.toString(management),
                        "--data-dir",
                        data.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("demo.log").toFile());
        pb.environment().remove("VEIL_MASTER_KEY");
        Process demo = pb.start();
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> get(port, "/healthz") == 200 || !demo.isAlive());
            assertThat(demo.isAlive()).as("alive once the port opened").isTrue();
            for (int i = 0; i < 3; i++) {
                assertThat(get(port, "/readyz"))
                        .as("public /readyz while delivery cannot start")
                        .isEqualTo(503);
                assertThat(get(management, "/readyz")).as("management /readyz").isEqualTo(503);
                Thread.sleep(1_000);
            }
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> Files.readString(dir.resolve("demo.log")).contains("delivery start-up failed"));
            assertThat(demo.isAlive()).as("still serving while retrying").isTrue();

            Files.delete(blocker);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> get(port, "/readyz") == 200 || !demo.isAlive());
            assertThat(demo.isAlive()).isTrue();
            assertThat(get(management, "/readyz")).isEqualTo(200);
            assertThat(Files.isRegularFile(blocker))
                    .as("replay.db opened on a retry")
                    .isTrue();
        } finally {
            demo.destroyForcibly();
            demo.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private int get(int port, String path) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package dev.veil.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.event.RawEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The official server-side clients, {@code @segment/analytics-node} and {@code @rudderstack/rudder-sdk-node} (npm,
 * pinned in package-lock.json), run by Node from {@code src/test/node/}: each sends page, track, identify, group
 * and alias to Veil and exits 0 only when its library reported no error.
 */
class NodeClientsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private CompatVeil veil;

    @BeforeEach
    void start() {
        veil = CompatVeil.start(dir, "http://127.0.0.1:1");
    }

    @AfterEach
    void stop() {
        veil.close();
    }

    @ParameterizedTest(name = "{0}, {1} injected 503")
    @CsvSource({
        "segment-analytics-node.mjs, 0, analytics-node-next",
        "segment-analytics-node.mjs, 1, analytics-node-next",
        "rudderstack-node.mjs, 0, analytics-node",
        "rudderstack-node.mjs, 1, analytics-node"
    })
    void every_call_is_stored_once_and_delivered(String script, int failures, String library) throws Exception {
        veil.failNext(failures);

        String output = runNode(script);

        List<RawEvent> stored = Deliveries.assertEachCallStoredOnceAndDelivered(veil, WAIT);
        assertThat(stored).allSatisfy(e -> {
            assertThat(e.sourceId()).isEqualTo("site");
            assertThat(e.userAgent()).as("User-Agent of the library").contains(library);
        });
        assertThat(veil.seen()).as(output).allSatisfy(s -> {
            assertThat(s.path()).isEqualTo("/v1/batch");
            assertThat(s.header("authorization")).startsWith("Basic ");
        });
        assertThat(veil.seen()).filteredOn(CompatVeil.Seen::injected503).hasSize(failures);
    }

    private String runNode(String script) throws IOException, InterruptedException {
        Path log = dir.resolve(script + ".log");
        Process p = new ProcessBuilder(
                        System.getProperty("veil.node", "node"),
                        Path.of("src/test/node", script).toString(),
                        veil.url(),
                        CompatVeil.WRITE_KEY,
                        "run-" + script.replace(".mjs", ""),
                        CompatVeil.TRACK_EVENT)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exited)
                .as("node " + script + " finished within 60 s; output: " + output)
                .isTrue();
        assertThat(p.exitValue())
                .as("node " + script + " exit code; output: " + output)
                .isZero();
        return output;
    }
}

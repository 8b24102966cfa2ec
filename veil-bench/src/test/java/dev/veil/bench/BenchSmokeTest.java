package dev.veil.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The bench's parts work (no speed is asserted: figures go to docs/performance.md). */
class BenchSmokeTest {

    @Test
    void the_load_generator_gets_200s_from_the_bare_endpoint_for_batches_and_single_events() throws Exception {
        Javalin bare = BareServer.start(BenchCommand.freePort());
        try {
            URI url = URI.create("http://127.0.0.1:" + bare.port());
            for (boolean single : new boolean[] {false, true}) {
                LoadGenerator.Result r = LoadGenerator.run(new LoadGenerator.Options(
                        url, "key", 2, single ? 1 : 10, single, Duration.ofSeconds(10), 400, 0));
                assertThat(r.events()).as("single=%s", single).isEqualTo(400);
                assertThat(r.failedRequests()).isZero();
                assertThat(r.latencyMillis(0.999)).isGreaterThan(0);
            }
        } finally {
            bare.stop();
        }
    }

    @Test
    void a_single_event_template_is_one_track_message_with_a_fresh_id_each_time() throws Exception {
        BatchTemplate t = new BatchTemplate(7, 1, 1, true);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(t.next());
        JsonNode second = json.readTree(t.next());
        assertThat(first.has("batch")).isFalse();
        assertThat(first.get("event").asText()).isEqualTo("Appointment Booked");
        assertThat(first.get("messageId").asText())
                .isNotEqualTo(second.get("messageId").asText());
    }

    @Test
    void process_stats_read_this_process() {
        long pid = ProcessHandle.current().pid();
        assertThat(ProcessStats.rssKb(pid)).isPositive();
        assertThat(ProcessStats.peakRssKb(pid)).isGreaterThanOrEqualTo(ProcessStats.rssKb(pid) / 2);
        assertThat(ProcessStats.cpuSeconds(pid)).isPositive();
    }

    @Test
    void child_processes_get_an_absolute_class_path_even_when_the_bench_was_started_with_a_relative_one() {
        String saved = System.getProperty("java.class.path");
        try {
            System.setProperty(
                    "java.class.path",
                    "veil-bench/target/benchmarks.jar" + java.io.File.pathSeparator + "/opt/lib/other.jar");
            String[] entries = BenchCommand.absoluteClassPath().split(java.io.File.pathSeparator);
            assertThat(entries).hasSize(2);
            assertThat(entries[0])
                    .isEqualTo(java.nio.file.Path.of("veil-bench/target/benchmarks.jar")
                            .toAbsolutePath()
                            .toString());
            assertThat(entries[1]).isEqualTo("/opt/lib/other.jar");
        } finally {
            System.setProperty("java.class.path", saved);
        }
    }
}

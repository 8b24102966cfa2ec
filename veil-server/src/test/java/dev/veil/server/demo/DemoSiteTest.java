package dev.veil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.VeilServer;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.ingest.IngestStats;
import dev.veil.server.sdk.SdkSnippet;
import dev.veil.server.source.Source;
import dev.veil.server.source.StaticSourceRegistry;
import dev.veil.server.testing.MemoryEventLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoSiteTest {

    private static final String KEY = "demo-key-abc";
    private final HttpClient http = HttpClient.newHttpClient();
    private final MemoryEventLog log = new MemoryEventLog();
    private VeilServer server;

    @BeforeEach
    void start() {
        AtomicReference<IngestStats> stats = new AtomicReference<>();
        StaticSourceRegistry sources =
                new StaticSourceRegistry().add(new Source("demo-site", "Demo", List.of("http://localhost")), KEY);
        server = VeilServer.start(
                ServerConfig.defaults().withEphemeralPorts(),
                sources,
                log,
                Clock.systemUTC(),
                List.of(DemoSite.extension(KEY)));
        stats.set(server.stats());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void serves_the_clinic_pages_with_the_sdk_snippet_and_the_demo_write_key() throws Exception {
        for (String path : List.of("/", "/index.html", "/services.html", "/book.html")) {
            HttpResponse<String> res = get(path);
            assertThat(res.statusCode()).as(path).isEqualTo(200);
            assertThat(res.body())
                    .as(path)
                    .contains("Riverside Family Clinic")
                    .contains("<script src=\"/demo-snippet.js\"></script>")
                    .contains("<script src=\"/demo.js\"></script>")
                    .doesNotContain("<script>")
                    .doesNotContain(DemoSite.SNIPPET_MARKER);
            assertThat(res.headers().firstValue("Content-Security-Policy"))
                    .as(path)
                    .hasValueSatisfying(
                            csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe-inline"));
        }
        assertThat(get("/demo-snippet.js").body()).isEqualTo(SdkSnippet.javascript("/assets/p.js", KEY, Map.of()));
        assertThat(get("/demo.js").body()).contains("veil.track('Appointment Booked'");
        assertThat(get("/assets/p.js").statusCode()).isEqualTo(200);
        assertThat(get("/demo.css").statusCode()).isEqualTo(200);
        assertThat(get("/demo-config.js").statusCode()).isEqualTo(404);
    }

    @Test
    void counts_a_batch_sent_like_the_sdk_sends_it() throws Exception {
        HttpResponse<String> sent = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/batch"))
                        .header("Content-Type", "text/plain;charset=UTF-8")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"writeKey\":\"" + KEY
                                + "\",\"batch\":[{\"type\":\"page\",\"messageId\":\"m-1\",\"anonymousId\":\"a\","
                                + "\"name\":\"Home\"}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(server.stats().snapshot().accepted()).isEqualTo(1);
        assertThat(server.stats().snapshot().acceptedByType()).containsEntry(dev.veil.api.EventType.PAGE, 1L);
    }

    @Test
    void keeps_the_demo_key_across_restarts_in_a_private_file(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("veil-data");
        String first = DemoKey.loadOrCreate(dir);
        String second = DemoKey.loadOrCreate(dir);

        assertThat(second).isEqualTo(first).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(DemoKey.FILE_NAME))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
    }
}

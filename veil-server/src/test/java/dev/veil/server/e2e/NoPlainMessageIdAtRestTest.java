package dev.veil.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.veil.fakes.FakeWebhookReceiver;
import dev.veil.fakes.Fault;
import dev.veil.server.EmbeddedStores;
import dev.veil.server.VeilServer;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.pipeline.ConfiguredConnectors;
import dev.veil.server.pipeline.Pipeline;
import dev.veil.server.source.Source;
import dev.veil.server.source.StaticSourceRegistry;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message ids are chosen by callers and some carry PHI (issue 14): after a canary id went through ingest,
 * delivery, a refusal (dead letter) and a replay request, no file of the data directory holds it in plain text,
 * neither while the server runs (WAL files included) nor after it stopped.
 */
class NoPlainMessageIdAtRestTest {

    private static final String WRITE_KEY = "canary-write-key-1";
    private static final String CANARY = "jane.doe.canary@example.org-1741962687440";

    @TempDir
    Path dir;

    @Test
    void no_store_file_holds_a_plain_message_id() throws Exception {
        Path data = dir.resolve("data");
        Files.writeString(dir.resolve("hook.secret"), "canary-secret\n");
        try (FakeWebhookReceiver delivered = FakeWebhookReceiver.start("canary-secret");
                FakeWebhookReceiver refused = FakeWebhookReceiver.start("canary-secret")) {
            refused.faults().failFor(Duration.ofHours(1), Fault.status(400));
            try (EmbeddedStores stores = EmbeddedStores.open(data, MasterKey.load(data), EventLogOptions.defaults())) {
                StaticSourceRegistry sources =
                        new StaticSourceRegistry().add(new Source("site", "Site", List.of()), WRITE_KEY);
                try (VeilServer server = VeilServer.start(
                                ServerConfig.defaults().withEphemeralPorts(),
                                sources,
                                stores.eventLog(),
                                Clock.systemUTC(),
                                List.of());
                        Pipeline pipeline = Pipeline.start(
                                stores,
                                data,
                                server.registry(),
                                ConfiguredConnectors.system(),
                                new Pipeline.PolicyFile("canary.yaml", policy(delivered, refused)))) {
                    assertThat(post(server.port())).isEqualTo(200);
                    delivered.awaitAccepted(1, Duration.ofSeconds(30));
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> stores.deadLetters().count("refused") == 1);
                    long id = stores.deadLetters()
                            .list("refused", Instant.EPOCH, 1)
                            .getFirst()
                            .id();
                    pipeline.replays().enqueue("refused", List.of(id), Instant.now());
                    assertThat(stores.eventLog().read(0, 1).getFirst().event().messageId())
                            .isEqualTo(CANARY);
                    assertThat(holdingCanary(data))
                            .as("files holding the plain id while running")
                            .isEmpty();
                }
            }
        }
        assertThat(holdingCanary(data))
                .as("files holding the plain id after stop")
                .isEmpty();
    }

    private static List<String> holdingCanary(Path data) throws IOException {
        String needle = new String(CANARY.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        List<String> holding = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.walk(data)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                files++;
                if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(needle)) {
                    holding.add(data.relativize(f).toString());
                }
            }
        }
        assertThat(files).as("store files in the data directory").isGreaterThanOrEqualTo(4);
        return holding;
    }

    private static int post(int port) throws Exception {
        String body = "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Signed Up\",\"messageId\":\""
                + CANARY + "\"}]}";
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/batch"))
                .header("Content-Type", "application/json")
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((WRITE_KEY + ":").getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    private String policy(FakeWebhookReceiver delivered, FakeWebhookReceiver refused) {
        StringBuilder p = new StringBuilder("version: 1\ndestinations:\n");
        for (var d : List.of(List.of("delivered", delivered.baseUrl()), List.of("refused", refused.baseUrl()))) {
            p.append("  - id: ")
                    .append(d.get(0))
                    .append("\n    type: webhook\n    settings:\n      url: ")
                    .append(d.get(1))
                    .append("/hook\n      signingSecret: ${file:")
                    .append(dir.resolve("hook.secret"))
                    .append("}\n    events:\n      allow:\n        - name: Signed Up\n");
        }
        return p.toString();
    }
}

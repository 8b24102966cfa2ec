package dev.veil.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.fakes.FakeWebhookReceiver;
import dev.veil.fakes.Fault;
import dev.veil.server.EmbeddedStores;
import dev.veil.server.VeilServer;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.pipeline.ConfiguredConnectors;
import dev.veil.server.pipeline.Pipeline;
import dev.veil.server.source.StaticSourceRegistry;
import dev.veil.server.testing.TestServer;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API as {@code serve} wires it: a first-start setup link, a source created through the API that
 * ingest accepts at once (and refuses after rotation), a destination whose signing secret is set through the API
 * and reaches the vendor only through {@code ${secret:…}}, delivery status and a test event, all audited.
 */
class AdminEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private FakeWebhookReceiver vendor;
    private EmbeddedStores stores;
    private AdminWiring admin;
    private VeilServer server;
    private Pipeline pipeline;
    private final HttpClient http = HttpClient.newHttpClient();
    private String cookie;
    private String csrf;

    @BeforeEach
    void start() {
        vendor = FakeWebhookReceiver.start("e2e-signing-secret-1234");
        stores = EmbeddedStores.open(dir, MasterKey.load(dir), EventLogOptions.defaults());
        admin = AdminWiring.open(stores, Clock.systemUTC());
        var sources = admin.sources(new StaticSourceRegistry(), stores.config());
        server = VeilServer.start(
                ServerConfig.defaults().withListen(new ServerConfig.Listen("127.0.0.1", 0)),
                sources,
                stores.eventLog(),
                Clock.systemUTC(),
                List.of(admin.extension()));
        admin.serverStarted(server);
        ConfiguredConnectors connectors = admin.connectors();
        pipeline = Pipeline.start(stores, dir, new SimpleMeterRegistry(), connectors, null);
        admin.deliveryStarted(pipeline, stores, connectors);
    }

    @AfterEach
    void stop() {
        pipeline.close();
        server.close();
        admin.close();
        stores.close();
        vendor.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private HttpResponse<String> send(String method, String path, @Nullable String json, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (cookie != null) {
            b.header("Cookie", "veil_session=" + cookie);
            b.header("X-CSRF-Token", csrf);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void signInAsOwner() throws Exception {
        String link = admin.bootstrapOwner(url("")).orElseThrow();
        assertThat(link).startsWith(url("/console/setup?token="));
        HttpResponse<String> page = send("GET", link.substring(url("").length()), null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data:image/png;base64,").contains("Finish setup");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        String token = link.substring(link.indexOf("token=") + 6);
        JsonNode start = JSON.readTree(send("POST", "/api/v1/auth/setup/start", "{\"token\":\"" + token + "\"}")
                .body());
        var totp = admin.services().auth().totp();
        String code = totp.code(start.get("totpSecret").asText(), totp.currentStep());
        HttpResponse<String> done = send(
                "POST",
                "/api/v1/auth/setup/finish",
                "{\"token\":\"" + token + "\",\"password\":\"owner password 1234\",\"totp\":\"" + code + "\"}");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        String setCookie = done.headers().firstValue("Set-Cookie").orElseThrow();
        cookie = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
        csrf = JSON.readTree(done.body()).get("csrfToken").asText();
    }

    private int track(String writeKey) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url("/v1/track")))
                                .header("Content-Type", "application/json")
                                .header("Authorization", TestServer.basic(writeKey))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"event\":\"Signed Up\",\"userId\":\"patient-4711\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void a_source_created_through_the_api_sends_at_once_and_stops_after_rotation() throws Exception {
        signInAsOwner();
        HttpResponse<String> created = send("POST", "/api/v1/sources", "{\"id\":\"web\",\"name\":\"Web\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode body = JSON.readTree(created.body());
        String key = body.get("writeKey").asText();
        assertThat(body.get("snippet").asText()).contains(key).contains("/assets/");

        assertThat(track(key)).isEqualTo(200);
        String rotated = JSON.readTree(
                        send("POST", "/api/v1/sources/web/rotate-key", null).body())
                .get("writeKey")
                .asText();
        assertThat(track(key)).isEqualTo(401);
        assertThat(track(rotated)).isEqualTo(200);
        assertThat(send("GET", "/api/v1/sources/web/snippet", null).body()).doesNotContain(rotated);
    }

    @Test
    void a_destination_secret_set_through_the_api_reaches_the_vendor_only_by_reference() throws Exception {
        signInAsOwner();
        assertThat(send("PUT", "/api/v1/settings", "{\"twoPersonRule\":false}").statusCode())
                .isEqualTo(200);
        String key = JSON.readTree(send("POST", "/api/v1/sources", "{\"id\":\"web\",\"name\":\"Web\"}")
                        .body())
                .get("writeKey")
                .asText();
        String yaml = """
                version: 1
                destinations:
                  - id: hook
                    type: webhook
                    settings:
                      url: %s/hooks/veil
                      signingSecret: ${secret:destination.hook.signingSecret}
                    events:
                      allow:
                        - name: Signed Up
                """.formatted(vendor.baseUrl());
        HttpResponse<String> draft = send("POST", "/api/v1/drafts", "{\"yaml\":" + JSON.writeValueAsString(yaml) + "}");
        long id = JSON.readTree(draft.body()).get("draft").get("id").asLong();
        HttpResponse<String> early = send("POST", "/api/v1/drafts/" + id + "/publish", "{\"revision\":1}");
        assertThat(early.statusCode()).as("the secret is not set yet").isEqualTo(422);
        assertThat(early.body()).contains("${secret:destination.hook.signingSecret} is not set");

        HttpResponse<String> secret = send(
                "PUT",
                "/api/v1/destinations/hook/secrets/signingSecret?draft=" + id,
                "{\"value\":\"e2e-signing-secret-1234\"}");
        assertThat(secret.statusCode()).as(secret.body()).isEqualTo(200);
        int revision = JSON.readTree(secret.body()).get("draft").get("revision").asInt();
        HttpResponse<String> published =
                send("POST", "/api/v1/drafts/" + id + "/publish", "{\"revision\":" + revision + "}");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> pipeline.runtime().version() == 1);
        pipeline.delivery().reconcile();

        vendor.faults().failFor(Duration.ofSeconds(3), Fault.status(503));
        assertThat(track(key)).isEqualTo(200);
        Awaitility.await() // the destination's retry queue: the event waits while the vendor answers 503
                .atMost(Duration.ofSeconds(30))
                .until(() -> JSON.readTree(send("GET", "/api/v1/delivery", null).body())
                                .get(0)
                                .get("waiting")
                                .asLong()
                        == 1);
        List<JsonNode> received = vendor.awaitAccepted(1, Duration.ofSeconds(30));
        assertThat(received.get(0).toString()).contains("Signed Up").doesNotContain("patient-4711");
        assertThat(vendor.violations()).isEmpty();

        JsonNode status = JSON.readTree(send("GET", "/api/v1/delivery", null).body());
        assertThat(status.get(0).get("id").asText()).isEqualTo("hook");
        assertThat(status.get(0).get("state").asText()).isEqualTo("running");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode now =
                    JSON.readTree(send("GET", "/api/v1/delivery", null).body()).get(0);
            return now.get("waiting").asLong() == 0
                    && now.get("oldestWaitingSeconds").asLong() == 0;
        });
        JsonNode test = JSON.readTree(
                send("POST", "/api/v1/destinations/hook/test", null).body());
        assertThat(test.get("delivered").asBoolean()).as(test.toString()).isTrue();
        HttpResponse<String> view = send("GET", "/api/v1/destinations/hook", null);
        assertThat(view.body()).contains("\"set\":true").doesNotContain("e2e-signing-secret-1234");

        JsonNode verify =
                JSON.readTree(send("GET", "/api/v1/audit/verify", null).body());
        assertThat(verify.get("intact").asBoolean()).isTrue();
        assertThat(admin.services().audit().log().latest(100, "").stream().map(e -> e.action()))
                .contains(
                        "auth.setup", "source.create", "policy.publish", "destination.secret_set", "destination.test");
    }

    @Test
    void the_owner_setup_link_is_issued_only_on_first_start() throws Exception {
        assertThat(admin.bootstrapOwner(url(""))).isPresent();
        assertThat(admin.bootstrapOwner(url(""))).isEmpty();
        assertThat(send("GET", "/api/openapi.json", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/sources", null).statusCode()).isEqualTo(401);
    }
}

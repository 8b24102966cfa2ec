package dev.veil.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.admin.auth.Totp;
import dev.veil.fakes.FakeWebhookReceiver;
import dev.veil.server.StoreBackends;
import dev.veil.server.cli.VeilCommand;
import dev.veil.store.MasterKey;
import dev.veil.store.postgres.PostgresConfigStore;
import dev.veil.store.postgres.PostgresSettings;
import dev.veil.store.postgres.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The real {@code veil serve} with {@code storage: postgres} on an embedded PostgreSQL server: the owner is set up
 * through the admin API, a policy published through the admin API lands in PostgreSQL, an ingested event reaches
 * the vendor, and after a restart the user, the policy history and an intact audit chain are still there (seen
 * through the CLI on the same config). The data directory keeps only the event log, the replay queue and the
 * master key. With the database stopped under a running serve, {@code /readyz} says not ready and ingest goes on;
 * started again, serve is ready again by itself.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PostgresServeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "pg-serve-write-key";
    private static final String SECRET = "pg-serve-signing-secret-1234";
    private static final String PASSWORD = "owner password 1234";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private String cookie = "";
    private String csrf = "";

    @Test
    void serve_keeps_users_policies_and_audit_in_postgres_and_events_flow() throws Exception {
        PostgresSettings pg = TestPostgres.newDatabase(PostgresServeTest.class).newSchema();
        try (FakeWebhookReceiver vendor = FakeWebhookReceiver.start(SECRET)) {
            int port = ServeProcess.freePort();
            Path config = writeConfig(port, 0, pg, vendor);

            try (ServeProcess veil = ServeProcess.start(config, port)) {
                veil.awaitReady(Duration.ofSeconds(90));
                // The link is printed right after the listening line, which may come after /readyz answers.
                Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> veil.output().contains("token="));
                String out = veil.output();
                assertThat(out)
                        .contains(
                                "users, policies, audit, secrets and dead letters in PostgreSQL schema " + pg.schema());
                setUpOwner(port, setupLink(out));

                assertThat(veil.post("/v1/track", KEY, "{\"userId\":\"u1\",\"event\":\"Signed Up\"}"))
                        .isEqualTo(200);
                assertThat(vendor.awaitAccepted(1, Duration.ofSeconds(60))
                                .get(0)
                                .toString())
                        .contains("Signed Up");

                // A policy published through the admin API (version 2: the file was version 1).
                assertThat(send(port, "PUT", "/api/v1/settings", "{\"twoPersonRule\":false}")
                                .statusCode())
                        .isEqualTo(200);
                String v2 = Files.readString(dir.resolve("policy.yaml")) + "        - name: Order Completed\n";
                HttpResponse<String> draft =
                        send(port, "POST", "/api/v1/drafts", "{\"yaml\":" + JSON.writeValueAsString(v2) + "}");
                assertThat(draft.statusCode()).as(draft.body()).isBetween(200, 201);
                long id = JSON.readTree(draft.body()).get("draft").get("id").asLong();
                HttpResponse<String> published =
                        send(port, "POST", "/api/v1/drafts/" + id + "/publish", "{\"revision\":1}");
                assertThat(published.statusCode()).as(published.body()).isEqualTo(200);

                try (PostgresConfigStore store =
                        PostgresConfigStore.open(pg, MasterKey.load(dir.resolve("data")), Clock.systemUTC())) {
                    assertThat(store.latestPolicy().orElseThrow().version())
                            .as("the published policy, read from PostgreSQL")
                            .isEqualTo(2);
                    assertThat(store.latestPolicy().orElseThrow().yaml()).contains("Order Completed");
                }
                stop(veil);
                // The file now says what was published, so the restart finds it unchanged.
                Files.writeString(dir.resolve("policy.yaml"), v2);
            }
            try (var files = Files.list(dir.resolve("data"))) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .as("what serve keeps in the data directory on postgres")
                        .contains("events.db", "replay.db", "master.key")
                        .doesNotContain("config.db", "deadletters.db", "dictionary.db");
            }

            try (ServeProcess veil = ServeProcess.start(config, port)) {
                veil.awaitReady(Duration.ofSeconds(90));
                assertThat(veil.output())
                        .as("the owner exists: no new setup link")
                        .doesNotContain("First start")
                        .contains("unchanged (published version 2)");
                assertThat(veil.post("/v1/track", KEY, "{\"userId\":\"u2\",\"event\":\"Order Completed\"}"))
                        .isEqualTo(200);
                assertThat(vendor.awaitAccepted(2, Duration.ofSeconds(60))
                                .get(1)
                                .toString())
                        .as("delivered under the published version 2 after the restart")
                        .contains("Order Completed");

                // The CLI on the same config sees what the server wrote.
                Cli users = cli("users", "list", "--config", config.toString());
                assertThat(users.code()).as(users.err()).isZero();
                assertThat(users.out()).contains("admin").contains("owner");
                Cli history = cli("policy", "history", "--config", config.toString());
                assertThat(history.code()).as(history.err()).isZero();
                assertThat(history.out()).containsPattern("(?m)^2 ").containsPattern("(?m)^1 ");
                Cli audit = cli("audit", "verify", "--config", config.toString());
                assertThat(audit.code()).as(audit.out() + audit.err()).isZero();
                stop(veil);
            }
        }
    }

    @Test
    void with_the_database_down_readyz_says_not_ready_ingest_goes_on_and_ready_comes_back_by_itself() throws Exception {
        // A PostgreSQL server of this test's own, so it can be stopped and started again on its data and port.
        Path pgData = dir.resolve("pgdata");
        int pgPort = ServeProcess.freePort();
        EmbeddedPostgres pgServer = startPostgres(pgData, pgPort);
        try (FakeWebhookReceiver vendor = FakeWebhookReceiver.start(SECRET)) {
            PostgresSettings pg =
                    new PostgresSettings(pgServer.getJdbcUrl("postgres", "postgres"), "postgres", null, "outage", 2);
            int port = ServeProcess.freePort();
            int management = ServeProcess.freePort();
            Path config = writeConfig(port, management, pg, vendor);
            try (ServeProcess veil = ServeProcess.start(config, port)) {
                veil.awaitReady(Duration.ofSeconds(90));
                assertThat(metrics(management)).contains("veil_control_store_up 1.0");

                pgServer.close();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> veil.get("/readyz") == 503);
                HttpResponse<String> notReady = send(port, "GET", "/readyz", null);
                assertThat(notReady.body())
                        .contains("\"code\":\"not_ready\"")
                        .contains("control store (PostgreSQL) not reachable")
                        .doesNotContain("jdbc:")
                        .doesNotContain("127.0.0.1")
                        .doesNotContain(Integer.toString(pgPort));
                assertThat(metrics(management)).contains("veil_control_store_up 0.0");
                assertThat(veil.post("/v1/track", KEY, "{\"userId\":\"u1\",\"event\":\"Signed Up\"}"))
                        .as("ingest goes on: the event log is local")
                        .isEqualTo(200);

                pgServer = startPostgres(pgData, pgPort);
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> veil.get("/readyz") == 200);
                assertThat(metrics(management)).contains("veil_control_store_up 1.0");
                assertThat(vendor.awaitAccepted(1, Duration.ofSeconds(60))
                                .get(0)
                                .toString())
                        .as("the event accepted while the database was down is delivered")
                        .contains("Signed Up");
                stop(veil);
            }
        } finally {
            pgServer.close();
        }
    }

    private static EmbeddedPostgres startPostgres(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    private String metrics(int management) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private Path writeConfig(int port, int management, PostgresSettings pg, FakeWebhookReceiver vendor)
            throws Exception {
        Files.writeString(dir.resolve("write.key"), KEY + "\n");
        Files.writeString(dir.resolve("hook.secret"), SECRET + "\n");
        // The embedded server trusts local connections; the reference is still resolved (an unreadable file fails).
        Files.writeString(dir.resolve("pg.password"), "not-checked-by-trust-auth\n");
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
                        - name: Signed Up
                """.formatted(
                        dir.resolve("write.key"), vendor.baseUrl(), dir.resolve("hook.secret")));
        Path config = dir.resolve("veil.yaml");
        Files.writeString(config, """
                listen: {host: 127.0.0.1, port: %d}
                management: {host: 127.0.0.1, port: %d}
                dataDir: data
                policy: policy.yaml
                storage:
                  kind: postgres
                  url: %s
                  user: %s
                  password: ${file:%s}
                  schema: %s
                  maxPoolSize: 2
                """.formatted(
                        port, management, pg.jdbcUrl(), pg.user(), dir.resolve("pg.password"), pg.schema()));
        return config;
    }

    private static String setupLink(String out) {
        Matcher m = Pattern.compile("(http://\\S+/console/setup\\?token=\\S+)").matcher(out);
        assertThat(m.find()).as("setup link in: " + out).isTrue();
        return m.group(1);
    }

    private void setUpOwner(int port, String link) throws Exception {
        String token = link.substring(link.indexOf("token=") + 6);
        JsonNode start = JSON.readTree(send(port, "POST", "/api/v1/auth/setup/start", "{\"token\":\"" + token + "\"}")
                .body());
        Totp totp = new Totp(Clock.systemUTC());
        String code = totp.code(start.get("totpSecret").asText(), totp.currentStep());
        HttpResponse<String> done = send(
                port,
                "POST",
                "/api/v1/auth/setup/finish",
                "{\"token\":\"" + token + "\",\"password\":\"" + PASSWORD + "\",\"totp\":\"" + code + "\"}");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        String setCookie = done.headers().firstValue("Set-Cookie").orElseThrow();
        cookie = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
        csrf = JSON.readTree(done.body()).get("csrfToken").asText();
    }

    private HttpResponse<String> send(int port, String method, String path, @Nullable String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (!cookie.isEmpty()) {
            b.header("Cookie", "veil_session=" + cookie);
            b.header("X-CSRF-Token", csrf);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void stop(ServeProcess veil) throws InterruptedException {
        veil.process().destroy(); // SIGTERM: an orderly stop
        assertThat(veil.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(veil.process().exitValue()).isZero();
    }

    record Cli(int code, String out, String err) {}

    static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = VeilCommand.newCommandLine(StoreBackends::open);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }
}

package dev.veil.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.api.ConnectorDescriptor;
import dev.veil.core.engine.DefaultPrivacyEngine;
import dev.veil.core.engine.EngineConfig;
import dev.veil.core.engine.MaskingKeyring;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyLoader;
import dev.veil.core.policy.SecretResolver;
import dev.veil.core.policy.SettingValue;
import dev.veil.core.policy.ValidationReport;
import dev.veil.destinations.internal.Hashing;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.fakes.FakeAmplitude;
import dev.veil.fakes.FakeGa4;
import dev.veil.fakes.FakeMeta;
import dev.veil.fakes.FakeMixpanel;
import dev.veil.fakes.FakeTiktok;
import dev.veil.fakes.FakeVendor;
import dev.veil.fakes.FakeWebhookReceiver;
import dev.veil.fakes.ReceivedRequest;
import dev.veil.server.VeilServer;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.delivery.DeliveryEngine;
import dev.veil.server.delivery.DeliverySettings;
import dev.veil.server.delivery.ReplayQueue;
import dev.veil.server.delivery.SqliteReplayQueue;
import dev.veil.server.source.Source;
import dev.veil.server.source.StaticSourceRegistry;
import dev.veil.server.testing.TestServer;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteStores;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole path for every connector: HTTP ingest into the SQLite event log, the delivery engine with the real
 * privacy engine and a YAML policy, the real connector, and its strict fake vendor. Events full of PHI canaries
 * arrive renamed, with masked ids and messageId-based dedup keys, valid for the vendor, and without a single canary.
 */
class ConnectorsEndToEndTest {
    private static final String WRITE_KEY = "e2e-write-key-4711";
    private static final String RAW_USER_ID = "user-raw-CANARY-777";
    private static final String RAW_ANONYMOUS_ID = "anon-raw-CANARY-888";
    private static final int ALLOWED = 3;
    private static final List<String> CANARIES = List.of(
            "jane.doe",
            "example.com",
            "Johnathan",
            "Canarysmith",
            RAW_USER_ID,
            RAW_ANONYMOUS_ID,
            "patients/12345",
            "12345/records",
            "patients%2F12345",
            "127.0.0.1",
            "Diagnosis Viewed",
            "oncology");

    @TempDir
    Path dir;

    /** One connector: its fake, its settings (secret ones as file names), and where to find what the fake kept. */
    record Case(
            String type,
            String renamedTo,
            Function<Secrets, FakeVendor> fake,
            Function<Settings, Map<String, String>> settings,
            Function<JsonNode, String> eventName,
            @Nullable Function<JsonNode, String> dedupId,
            Function<String, String> expectedDedupId,
            Function<FakeVendor, List<String>> userIds) {
        @Override
        public String toString() {
            return type;
        }
    }

    record Secrets(String value) {}

    /** Base URL of the fake and the absolute path of the file that holds the secret. */
    record Settings(String baseUrl, String secretRef) {}

    static Stream<Case> connectors() {
        return Stream.of(
                new Case(
                        "ga4",
                        "book_appointment",
                        s -> FakeGa4.start("G-E2E1", s.value()),
                        s -> Map.of(
                                "measurementId",
                                "G-E2E1",
                                "apiSecret",
                                s.secretRef(),
                                "endpoint",
                                s.baseUrl() + "/mp/collect"),
                        e -> e.path("name").asText(),
                        null, // GA4 documents no dedup key (spec/destinations.md)
                        id -> id,
                        f -> f.requests().stream()
                                .map(r -> r.json().orElseThrow().path("user_id").asText())
                                .toList()),
                new Case(
                        "meta",
                        "Schedule",
                        s -> FakeMeta.start("1234567890", s.value()),
                        s -> Map.of("pixelId", "1234567890", "accessToken", s.secretRef(), "endpoint", s.baseUrl()),
                        e -> e.path("event_name").asText(),
                        e -> e.path("event_id").asText(),
                        id -> id,
                        f -> accepted(f, e -> e.at("/user_data/external_id/0").asText())),
                new Case(
                        "tiktok",
                        "SubmitForm",
                        s -> FakeTiktok.start("CPIXELE2E", s.value()),
                        s -> Map.of("pixelCode", "CPIXELE2E", "accessToken", s.secretRef(), "endpoint", s.baseUrl()),
                        e -> e.path("event").asText(),
                        e -> e.path("event_id").asText(),
                        id -> id,
                        f -> accepted(f, e -> e.at("/user/external_id/0").asText())),
                new Case(
                        "mixpanel",
                        "Booked Appointment",
                        s -> FakeMixpanel.start("4242", s.value(), "sa", "sa-secret"),
                        s -> Map.of("projectToken", s.secretRef(), "endpoint", s.baseUrl()),
                        e -> e.path("event").asText(),
                        e -> e.at("/properties/$insert_id").asText(),
                        Hashing::compactId,
                        f -> accepted(f, e -> e.at("/properties/$user_id").asText())),
                new Case(
                        "amplitude",
                        "Booked Appointment",
                        s -> FakeAmplitude.start(s.value(), 100_000),
                        s -> Map.of("apiKey", s.secretRef(), "endpoint", s.baseUrl() + "/2/httpapi"),
                        e -> e.path("event_type").asText(),
                        e -> e.path("insert_id").asText(),
                        id -> id,
                        f -> accepted(f, e -> e.path("user_id").asText())),
                new Case(
                        "webhook",
                        "booked",
                        s -> FakeWebhookReceiver.start(s.value()),
                        s -> Map.of("url", s.baseUrl() + "/hook", "signingSecret", s.secretRef()),
                        e -> e.path("event").asText(),
                        e -> e.path("messageId").asText(),
                        id -> id,
                        f -> accepted(f, e -> e.path("userId").asText())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connectors")
    void events_with_phi_arrive_renamed_masked_deduplicable_valid_and_without_a_canary(Case c) throws Exception {
        String secret = "e2e-" + c.type() + "-secret-value";
        Path secretFile = dir.resolve(c.type() + ".secret");
        Files.writeString(secretFile, secret + "\n", StandardCharsets.UTF_8);

        Map<String, ConnectorFactory> factories = ConnectorFactory.loadAll();
        Map<String, ConnectorDescriptor> descriptors = factories.values().stream()
                .map(ConnectorFactory::descriptor)
                .collect(Collectors.toMap(ConnectorDescriptor::type, d -> d));
        SecretResolver secrets = SecretResolver.system();
        byte[] maskingKey = new byte[32];
        new SecureRandom().nextBytes(maskingKey);

        try (FakeVendor fake = c.fake().apply(new Secrets(secret));
                SqliteStores stores = SqliteStores.open(dir, MasterKey.load(dir), EventLogOptions.defaults());
                ReplayQueue replays = SqliteReplayQueue.open(dir)) {
            Map<String, String> settings =
                    c.settings().apply(new Settings(fake.baseUrl(), "${file:" + secretFile.toAbsolutePath() + "}"));
            ValidationReport report = PolicyLoader.load(policyYaml(c, settings), "e2e.yaml", descriptors);
            assertThat(report.errors()).as(report.format()).isEmpty();
            Policy policy = report.orThrow();

            StaticSourceRegistry sources = new StaticSourceRegistry()
                    .add(new Source("website", "Website", List.of("https://www.example-health.org")), WRITE_KEY);
            ServerConfig config = ServerConfig.defaults().withEphemeralPorts();
            DefaultPrivacyEngine privacy =
                    new DefaultPrivacyEngine(EngineConfig.builder(MaskingKeyring.single(maskingKey))
                            .privacy(policy.privacy())
                            .build());
            try (VeilServer server =
                            VeilServer.start(config, sources, stores.eventLog(), Clock.systemUTC(), List.of());
                    DeliveryEngine delivery = DeliveryEngine.builder(
                                    stores.eventLog(),
                                    stores.deadLetters(),
                                    replays,
                                    privacy,
                                    () -> policy,
                                    d -> factories.get(d.type()).create(d.id(), resolve(d.settings(), secrets)))
                            .settings(
                                    DeliverySettings.DEFAULTS.withBackoff(Duration.ofMillis(5), Duration.ofMillis(100)))
                            .build()) {
                delivery.start();

                HttpResponse<String> response = ingest(server.port(), batch());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

                await().atMost(Duration.ofMinutes(1))
                        .until(() -> fake.accepted().size() >= ALLOWED);
                // The dropped event and any resend would come with the same batch: wait for the cursor to pass it.
                await().atMost(Duration.ofMinutes(1))
                        .until(() -> stores.eventLog().cursor("dest:dest") >= ALLOWED + 1);
            }

            assertThat(fake.violations()).isEmpty();
            assertThat(fake.accepted()).hasSize(ALLOWED);
            assertThat(fake.duplicates()).isZero();
            assertThat(fake.distinctDedupKeys()).isEqualTo(ALLOWED);
            assertThat(fake.accepted()).extracting(c.eventName()).containsOnly(c.renamedTo());
            if (c.dedupId() != null) {
                // The engine derives each destination's event id (a keyed hash): the caller's id never leaves.
                assertThat(fake.accepted())
                        .extracting(c.dedupId())
                        .doesNotHaveDuplicates()
                        .allSatisfy(id -> assertThat(c.expectedDedupId().apply(id))
                                .isEqualTo(id)
                                .matches("[0-9a-f]{32}")
                                .doesNotContain("e2e-msg"));
            }
            List<String> userIds = c.userIds().apply(fake);
            assertThat(userIds)
                    .isNotEmpty()
                    .allSatisfy(id -> assertThat(id)
                            .isNotBlank()
                            .isNotEqualTo(RAW_USER_ID)
                            .doesNotContain(RAW_USER_ID));
            assertThat(stores.deadLetters().count("dest")).isZero();

            String received = everythingReceived(fake).toLowerCase(Locale.ROOT);
            for (String canary : CANARIES) {
                assertThat(received).as("canary %s", canary).doesNotContain(canary.toLowerCase(Locale.ROOT));
            }
        }
    }

    private static List<String> accepted(FakeVendor fake, Function<JsonNode, String> field) {
        return fake.accepted().stream().map(field).toList();
    }

    /** Bodies, paths, query strings and headers, except Host (the fakes listen on 127.0.0.1, a canary). */
    private static String everythingReceived(FakeVendor fake) {
        StringBuilder all = new StringBuilder();
        for (ReceivedRequest r : fake.requests()) {
            all.append(r.method()).append(' ').append(r.path()).append('\n');
            r.query().forEach((k, v) -> all.append(k).append('=').append(v).append('\n'));
            r.headers().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("host")) {
                    all.append(k).append(": ").append(v).append('\n');
                }
            });
            all.append(r.bodyText()).append('\n');
        }
        assertThat(all).as("the fake recorded requests").isNotEmpty();
        return all.toString();
    }

    private static Map<String, String> resolve(Map<String, SettingValue> settings, SecretResolver secrets) {
        Map<String, String> values = new HashMap<>();
        settings.forEach((k, v) -> values.put(
                k,
                switch (v) {
                    case SettingValue.Literal l -> String.valueOf(l.value());
                    case SettingValue.Secret s -> secrets.resolve(s.ref());
                }));
        return values;
    }

    private static String policyYaml(Case c, Map<String, String> settings) {
        String settingLines = settings.entrySet().stream()
                .map(e -> "      " + e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n"));
        return """
                version: 1
                privacy:
                  url:
                    keepQueryParams: [utm_source, utm_medium, utm_campaign]
                    redactPaths:
                      - "/patients/{patientId}/**"
                  scanner:
                    detectors: [email, phone, ssn, date, mrn, ip, zip]
                    onMatch: redact
                sources:
                  - id: website
                    name: Website
                    allowedOrigins: ["https://www.example-health.org"]
                destinations:
                  - id: dest
                    type: %s
                    name: End to end %s
                    settings:
                %s
                    context:
                      ip: drop
                      userAgent: pass
                      pageUrl: sanitize
                      campaign: pass
                    events:
                      allow:
                        - name: "Appointment Booked"
                          as: "%s"
                          properties:
                            service_line: pass
                            value: pass
                            currency: pass
                """.formatted(c.type(), c.type(), settingLines, c.renamedTo());
    }

    /** Three allowed events full of canaries and one the policy does not allow. */
    private static String batch() {
        List<String> events = new ArrayList<>();
        Instant now = Instant.now();
        // Distinct timestamps: GA4 has no dedup key, its fake counts client, name and time as one event.
        for (int i = 0; i < ALLOWED; i++) {
            events.add(event(
                    "e2e-msg-" + i, "Appointment Booked", now.minusSeconds(i).toString()));
        }
        events.add(event("e2e-msg-x", "Diagnosis Viewed", now.toString()));
        return "{\"batch\":[" + String.join(",", events) + "]}";
    }

    private static String event(String messageId, String name, String timestamp) {
        return """
                {"type":"track","messageId":"%s","event":"%s","timestamp":"%s",
                 "userId":"%s","anonymousId":"%s",
                 "properties":{"service_line":"cardiology, contact jane.doe@example.com","value":120,
                   "currency":"USD","patient_name":"Johnathan Canarysmith","diagnosis":"oncology",
                   "patient_email":"jane.doe@example.com"},
                 "traits":{"email":"jane.doe@example.com","name":"Johnathan Canarysmith"},
                 "context":{"userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36",
                   "traits":{"email":"jane.doe@example.com"},
                   "page":{"url":"https://www.example-health.org/patients/12345/records?email=jane.doe%%40example.com&utm_source=news",
                     "path":"/patients/12345/records","search":"?email=jane.doe%%40example.com&utm_source=news",
                     "title":"Johnathan Canarysmith - records",
                     "referrer":"https://www.example-health.org/patients/12345?email=jane.doe@example.com"}}}
                """.formatted(messageId, name, timestamp, RAW_USER_ID, RAW_ANONYMOUS_ID);
    }

    private static HttpResponse<String> ingest(int port, String body) throws Exception {
        return TestServer.postBatch(port, WRITE_KEY, body);
    }
}

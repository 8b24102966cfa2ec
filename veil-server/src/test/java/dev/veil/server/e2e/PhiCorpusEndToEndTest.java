package dev.veil.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.ConnectorDescriptor;
import dev.veil.core.engine.DefaultPrivacyEngine;
import dev.veil.core.engine.EngineConfig;
import dev.veil.core.engine.MaskingKeyring;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyLoader;
import dev.veil.core.policy.ValidationReport;
import dev.veil.destinations.spi.ConnectorFactory;
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
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recall through the whole path: every value of the PHI corpus ({@code veil-core/src/test/resources/phi-corpus})
 * in every supported encoding goes through HTTP ingest, the encrypted event log, the delivery engine with the real
 * privacy engine and a YAML policy that passes the field, the webhook connector and its fake receiver, which must
 * hold none of them: not as sent, not encoded. The report counts values per detector and encoding.
 */
class PhiCorpusEndToEndTest {

    private static final String WRITE_KEY = "e2e-phi-write-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Placement(String detector, String encoding, String value, String core, String encoded) {}

    static List<String[]> corpus() throws Exception {
        return Files.readAllLines(Path.of("..", "veil-core", "src", "test", "resources", "phi-corpus", "phi.txt"))
                .stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .map(l -> l.split("\\|", -1))
                .toList();
    }

    static Map<String, UnaryOperator<String>> encodings() {
        Map<String, UnaryOperator<String>> e = new LinkedHashMap<>();
        e.put("raw", v -> v);
        e.put("form-encoded", v -> URLEncoder.encode(v, StandardCharsets.UTF_8));
        e.put("double-percent", v -> percent(percent(v)));
        e.put(
                "html-numeric",
                v -> v.codePoints()
                        .mapToObj(cp -> Character.isLetterOrDigit(cp) ? Character.toString(cp) : "&#" + cp + ";")
                        .collect(Collectors.joining()));
        e.put(
                "full-width",
                v -> v.chars()
                        .mapToObj(c -> c > 0x20 && c < 0x7f
                                ? Character.toString(c + 0xfee0)
                                : c == ' ' ? "\u3000" : "" + (char) c)
                        .collect(Collectors.joining()));
        e.put("nb-hyphen", v -> v.replace('-', '\u2011'));
        e.put("base64", v -> Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
        e.put(
                "base64url",
                v -> Base64.getUrlEncoder().withoutPadding().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
        return e;
    }

    static String percent(String v) {
        StringBuilder sb = new StringBuilder();
        for (byte b : v.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 0x80 || "-._~".indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }

    @Test
    void no_phi_value_reaches_the_vendor_in_any_encoding() throws Exception {
        List<Placement> placements = new ArrayList<>();
        for (String[] row : corpus()) {
            String core = row.length > 2 ? row[2] : row[1];
            for (var enc : encodings().entrySet()) {
                if (enc.getKey().startsWith("base64") && row[1].getBytes(StandardCharsets.UTF_8).length < 7) {
                    continue; // too short to be decoded; see docs/policy.md
                }
                placements.add(new Placement(
                        row[0], enc.getKey(), row[1], core, enc.getValue().apply(row[1])));
            }
        }
        String secret = "e2e-phi-signing-secret";
        Map<String, ConnectorFactory> factories = ConnectorFactory.loadAll();
        Map<String, ConnectorDescriptor> descriptors = factories.values().stream()
                .map(ConnectorFactory::descriptor)
                .collect(Collectors.toMap(ConnectorDescriptor::type, d -> d));
        byte[] maskingKey = new byte[32];
        new SecureRandom().nextBytes(maskingKey);
        Path secretFile = dir.resolve("webhook.secret");
        Files.writeString(secretFile, secret);
        try (FakeVendor fake = FakeWebhookReceiver.start(secret);
                SqliteStores stores = SqliteStores.open(dir, MasterKey.load(dir), EventLogOptions.defaults());
                ReplayQueue replays = SqliteReplayQueue.open(dir)) {
            ValidationReport report = PolicyLoader.load(policy(fake.baseUrl(), secretFile), "e2e.yaml", descriptors);
            assertThat(report.errors()).as(report.format()).isEmpty();
            Policy policy = report.orThrow();
            StaticSourceRegistry sources = new StaticSourceRegistry()
                    .add(new Source("website", "Website", List.of("https://www.example-health.org")), WRITE_KEY);
            DefaultPrivacyEngine privacy =
                    new DefaultPrivacyEngine(EngineConfig.builder(MaskingKeyring.single(maskingKey))
                            .privacy(policy.privacy())
                            .build());
            Map<String, String> settings = Map.of("url", fake.baseUrl() + "/hook", "signingSecret", secret);
            try (VeilServer server = VeilServer.start(
                            ServerConfig.defaults().withEphemeralPorts(),
                            sources,
                            stores.eventLog(),
                            Clock.systemUTC(),
                            List.of());
                    DeliveryEngine delivery = DeliveryEngine.builder(
                                    stores.eventLog(),
                                    stores.deadLetters(),
                                    replays,
                                    privacy,
                                    () -> policy,
                                    d -> factories.get(d.type()).create(d.id(), settings))
                            .settings(
                                    DeliverySettings.DEFAULTS.withBackoff(Duration.ofMillis(5), Duration.ofMillis(100)))
                            .build()) {
                delivery.start();
                for (int from = 0; from < placements.size(); from += 40) {
                    HttpResponse<String> response = ingest(
                            server.port(),
                            batch(placements.subList(from, Math.min(placements.size(), from + 40)), from));
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                }
                await().atMost(Duration.ofMinutes(2))
                        .until(() -> fake.accepted().size() >= placements.size());
            }
            assertThat(fake.violations()).isEmpty();
            assertThat(stores.deadLetters().count("dest")).isZero();

            // Each event is checked on its own values (properties and context): a 5-digit ZIP code can also turn up by
            // chance in an unrelated number (a timestamp, a derived event id's hex digits).
            assertThat(everythingReceived(fake)).isNotEmpty();
            Map<Integer, String> byIndex = new java.util.HashMap<>();
            for (var e : fake.accepted()) {
                byIndex.put(
                        e.path("properties").path("n").asInt(-1),
                        e.path("properties").toString() + e.path("context").toString());
            }
            Map<String, int[]> table = new TreeMap<>();
            List<String> leaks = new ArrayList<>();
            for (int i = 0; i < placements.size(); i++) {
                Placement p = placements.get(i);
                String received = byIndex.get(i);
                assertThat(received)
                        .as("event %d (%s %s) was delivered", i, p.detector(), p.encoding())
                        .isNotNull();
                String lower = received.toLowerCase(Locale.ROOT);
                int[] row = table.computeIfAbsent(p.detector() + " / " + p.encoding(), k -> new int[2]);
                row[0]++;
                boolean leak = lower.contains(p.core().toLowerCase(Locale.ROOT))
                        || (p.encoded().length() >= 6 && received.contains(p.encoded()));
                if (leak) {
                    row[1]++;
                    leaks.add(p.detector() + " " + p.encoding() + ": " + p.value());
                }
            }
            StringBuilder out = new StringBuilder("PHI corpus end to end (detector / encoding: values, leaks)\n");
            table.forEach((k, v) -> out.append("  ")
                    .append(k)
                    .append(": ")
                    .append(v[0])
                    .append(", ")
                    .append(v[1])
                    .append('\n'));
            System.out.print(out);
            assertThat(leaks).as(out.toString()).isEmpty();
        }
    }

    private static String policy(String baseUrl, Path secretFile) {
        return """
                version: 1
                privacy:
                  url:
                    keepQueryParams: [utm_source, utm_content]
                sources:
                  - id: website
                    name: Website
                    allowedOrigins: ["https://www.example-health.org"]
                destinations:
                  - id: dest
                    type: webhook
                    settings:
                      url: %s/hook
                      signingSecret: ${file:%s}
                    context:
                      pageUrl: sanitize
                      referrer: sanitize
                      pageTitle: pass
                      campaign: pass
                    events:
                      allow:
                        - name: "Note Saved"
                          properties:
                            note: pass
                            lines: pass
                            n: pass
                """.formatted(baseUrl, secretFile.toAbsolutePath());
    }

    private static String batch(List<Placement> placements, int offset) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode batch = root.putArray("batch");
        for (int i = 0; i < placements.size(); i++) {
            Placement p = placements.get(i);
            ObjectNode e = batch.addObject();
            e.put("type", "track").put("event", "Note Saved").put("messageId", "phi-" + (offset + i));
            e.put("anonymousId", "anon-1");
            ObjectNode props = e.putObject("properties");
            props.put("n", offset + i); // a number: not scanned, it finds the event again
            props.put("note", p.encoded());
            props.putArray("lines").add("see " + p.encoded() + " thanks");
            String inUrl = percent(p.encoded());
            ObjectNode page = e.putObject("context").putObject("page");
            page.put("url", "https://www.example-health.org/book/" + inUrl + "?utm_source=news&utm_content=" + inUrl);
            page.put("referrer", "https://www.example-health.org/r/" + inUrl + "?utm_content=" + inUrl);
            page.put("title", "Visit " + p.encoded());
        }
        return JSON.writeValueAsString(root);
    }

    private static String everythingReceived(FakeVendor fake) {
        StringBuilder all = new StringBuilder();
        for (ReceivedRequest r : fake.requests()) {
            all.append(r.path()).append('\n');
            r.query().forEach((k, v) -> all.append(k).append('=').append(v).append('\n'));
            all.append(r.bodyText()).append('\n');
        }
        assertThat(all).isNotEmpty();
        return all.toString();
    }

    private static HttpResponse<String> ingest(int port, String body) throws Exception {
        return TestServer.postBatch(port, WRITE_KEY, body);
    }
}

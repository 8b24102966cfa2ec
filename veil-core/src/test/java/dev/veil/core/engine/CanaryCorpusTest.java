package dev.veil.core.engine;

import static dev.veil.core.engine.TestPolicies.destination;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.DestinationPolicy.Context;
import dev.veil.core.policy.DestinationPolicy.IdAction;
import dev.veil.core.policy.DestinationPolicy.Identity;
import dev.veil.core.policy.DestinationPolicy.IpAction;
import dev.veil.core.policy.DestinationPolicy.Toggle;
import dev.veil.core.policy.DestinationPolicy.UrlAction;
import dev.veil.core.policy.DestinationPolicy.UserAgentAction;
import dev.veil.core.policy.PrivacySettings;
import dev.veil.core.policy.PrivacySettings.SensitiveAction;
import dev.veil.core.policy.PrivacySettings.SensitivePage;
import dev.veil.core.policy.Transform;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The PHI canary corpus: realistic events with unique canary values planted wherever PHI hides, run through a
 * realistic 5-destination policy. No canary may reach a destination unless the policy explicitly passes it there
 * (listed in {@code canaries.json}), and no canary may ever appear in a decision trace.
 *
 * <p>The policy is built in Java because the YAML parser lands separately; it mirrors the spec's example.
 */
class CanaryCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final Instant RECEIVED = Instant.parse("2026-03-01T12:00:00Z");

    record Canary(String value, String kind, Set<String> allowedTo) {}

    static PrivacySettings privacy() {
        return new PrivacySettings(
                new PrivacySettings.Url(
                        List.of("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id"),
                        List.of("/patients/{patientId}/**", "/appointments/{id}"),
                        List.of(
                                new SensitivePage("/conditions/**", "/conditions/*", SensitiveAction.REPLACE),
                                new SensitivePage("/portal/**", null, SensitiveAction.DROP_EVENT))),
                new PrivacySettings.Scanner(
                        Set.of(PrivacySettings.Detector.values()),
                        List.of("MRN[- ]?\\d{6,10}"),
                        PrivacySettings.OnMatch.REDACT),
                new PrivacySettings.Geo(null),
                new PrivacySettings.Consent(PrivacySettings.ConsentDefault.DENIED, true));
    }

    static List<DestinationPolicy> destinations() {
        Context marketing = new Context(
                IpAction.GEO,
                UserAgentAction.GENERALIZE,
                UrlAction.SANITIZE,
                UrlAction.SANITIZE,
                Toggle.DROP,
                Toggle.PASS,
                Toggle.PASS,
                Toggle.PASS,
                List.of("gclid", "gbraid", "wbraid"));
        DestinationPolicy ga4 = destination("ga4-marketing")
                .type("ga4")
                .consent("analytics")
                .context(marketing)
                .pages(true)
                .allowAs(
                        "Appointment Booked",
                        "book_appointment",
                        "service_line",
                        "pass",
                        "value",
                        "pass",
                        "currency",
                        "pass",
                        "clinic_zip",
                        "zip3")
                .allow("Signed Up")
                .property("plan", Transform.PASS)
                .build();
        DestinationPolicy meta = destination("meta-ads")
                .type("meta")
                .consent("advertising")
                .context(new Context(
                        IpAction.GEO,
                        UserAgentAction.GENERALIZE,
                        UrlAction.SANITIZE,
                        UrlAction.DROP,
                        Toggle.DROP,
                        Toggle.DROP,
                        Toggle.DROP,
                        Toggle.DROP,
                        List.of("fbc", "fbp", "fbclid")))
                .allowAs("Appointment Booked", "Schedule", "value", "pass", "currency", "pass")
                .build();
        DestinationPolicy tiktok = destination("tiktok-ads")
                .type("tiktok")
                .consent("advertising")
                .context(new Context(
                        IpAction.GEO,
                        UserAgentAction.GENERALIZE,
                        UrlAction.SANITIZE,
                        UrlAction.DROP,
                        Toggle.DROP,
                        Toggle.DROP,
                        Toggle.DROP,
                        Toggle.DROP,
                        List.of("ttclid")))
                .allowAs("Signed Up", "CompleteRegistration")
                .build();
        DestinationPolicy mixpanel = destination("mixpanel-product")
                .type("mixpanel")
                .consent("analytics")
                .context(new Context(
                        IpAction.GEO,
                        UserAgentAction.GENERALIZE,
                        UrlAction.SANITIZE,
                        UrlAction.SANITIZE,
                        Toggle.DROP,
                        Toggle.PASS,
                        Toggle.PASS,
                        Toggle.PASS,
                        List.of()))
                .pages(true)
                .identify(true)
                .group(true)
                .alias(true)
                .allow(
                        "Appointment Booked",
                        "service_line",
                        "pass",
                        "notes",
                        "pass",
                        "product.category",
                        "pass",
                        "items.sku",
                        "pass")
                .allow("Signed Up")
                .property("plan", Transform.PASS)
                .trait("plan", Transform.PASS)
                .trait("birth_date", Transform.YEAR)
                .trait("zip", Transform.ZIP3)
                .trait("age", Transform.AGE90)
                .trait("email", Transform.MASK)
                .groupTrait("plan", Transform.PASS)
                .build();
        DestinationPolicy webhook = destination("webhook-ehr")
                .type("webhook")
                .baa(true)
                .identity(new Identity(IdAction.PASS, IdAction.PASS, IdAction.MASK, IdAction.MASK))
                .context(new Context(
                        IpAction.PASS,
                        UserAgentAction.PASS,
                        UrlAction.PASS,
                        UrlAction.PASS,
                        Toggle.PASS,
                        Toggle.PASS,
                        Toggle.PASS,
                        Toggle.PASS,
                        List.of()))
                .pages(true)
                .identify(true)
                .allow("Appointment Booked", "patient_name", "pass", "service_line", "pass")
                .trait("email", Transform.PASS)
                .trait("name", Transform.PASS)
                .build();
        return List.of(ga4, meta, tiktok, mixpanel, webhook);
    }

    static List<RawEvent> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(CanaryCorpusTest.class.getResource("/canary/events").toURI());
        List<RawEvent> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                JsonNode root = JSON.readTree(f.toFile());
                for (JsonNode envelope : root.isArray() ? root : List.of(root)) {
                    out.add(raw(envelope));
                }
            }
        }
        return out;
    }

    private static RawEvent raw(JsonNode envelope) {
        ObjectNode msg = (ObjectNode) envelope.get("message");
        Instant ts = msg.has("timestamp") ? Instant.parse(msg.get("timestamp").asText()) : RECEIVED;
        return new RawEvent(
                "website",
                msg.get("messageId").asText(),
                EventType.fromWire(msg.get("type").asText()).orElseThrow(),
                RECEIVED,
                ts,
                msg,
                envelope.path("clientIp").asText(null),
                envelope.path("userAgent").asText(null),
                envelope.path("gpc").asBoolean(false));
    }

    static List<Canary> canaries() throws IOException {
        try (InputStream in = CanaryCorpusTest.class.getResourceAsStream("/canary/canaries.json")) {
            List<Canary> out = new ArrayList<>();
            for (JsonNode c : JSON.readTree(in).get("canaries")) {
                List<String> allowed = new ArrayList<>();
                c.get("allowedTo").forEach(a -> allowed.add(a.asText()));
                out.add(new Canary(c.get("value").asText(), c.get("kind").asText(), Set.copyOf(allowed)));
            }
            return out;
        }
    }

    @Test
    void no_canary_leaves_except_where_the_policy_explicitly_passes_it() throws Exception {
        DefaultPrivacyEngine engine =
                new DefaultPrivacyEngine(EngineConfig.builder(MaskingKeyring.single(TestEvents.SECRET))
                        .privacy(privacy())
                        .geo(SharedParsers.geo())
                        .userAgents(SharedParsers.userAgents())
                        .build());
        List<RawEvent> events = corpus();
        List<Canary> canaries = canaries();

        String corpusText = events.stream()
                .map(e -> e.message().toString() + e.clientIp() + e.userAgent())
                .reduce("", String::concat);
        int placements = 0;
        for (Canary c : canaries) {
            int n = occurrences(corpusText, c.value());
            assertThat(n)
                    .as("canary %s (%s) is planted in the corpus", c.kind(), c.value())
                    .isPositive();
            placements += n;
        }

        List<String> leaks = new ArrayList<>();
        Map<String, Integer> allowedArrivals = new TreeMap<>();
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        int evaluations = 0;
        int blocked = 0;
        for (RawEvent e : events) {
            for (DestinationPolicy d : destinations()) {
                evaluations++;
                Decision decision = engine.evaluate(e, d);
                String key = decision instanceof Decision.Dropped dr ? "dropped:" + dr.reason() : "forwarded";
                outcomes.merge(key, 1, Integer::sum);
                String trace =
                        decision.trace().toString() + (decision instanceof Decision.Dropped dr ? dr.detail() : "");
                String out = decision instanceof Decision.Forward f ? JSON.writeValueAsString(f.event()) : "";
                String in = e.message().toString() + e.clientIp() + e.userAgent();
                for (Canary c : canaries) {
                    if (!in.contains(c.value())) {
                        continue;
                    }
                    if (trace.contains(c.value())) {
                        leaks.add(c.kind() + " in the trace of " + e.messageId() + " for " + d.id());
                    }
                    if (out.contains(c.value())) {
                        if (c.allowedTo().contains(d.id())) {
                            allowedArrivals.merge(c.kind() + "->" + d.id(), 1, Integer::sum);
                        } else {
                            leaks.add(c.kind() + " reached " + d.id() + " in " + e.messageId());
                        }
                    } else {
                        blocked++;
                    }
                }
            }
        }
        System.out.printf(
                "PHI canary corpus: %d canaries, %d placements in %d events; %d event-destination evaluations %s;"
                        + " %d canary exposures blocked, %d leaks; explicitly passed: %s%n",
                canaries.size(),
                placements,
                events.size(),
                evaluations,
                outcomes,
                blocked,
                leaks.size(),
                allowedArrivals);
        assertThat(leaks).isEmpty();
        // The search works: what the BAA webhook is meant to receive does arrive there.
        assertThat(allowedArrivals).containsKeys("userId->webhook-ehr", "ip->webhook-ehr", "urlQuery->webhook-ehr");
        assertThat(outcomes).containsKeys("forwarded", "dropped:sensitive_page", "dropped:consent_denied");
    }

    private static int occurrences(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}

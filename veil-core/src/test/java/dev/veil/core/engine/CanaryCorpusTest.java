package dev.veil.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
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
 * <p>The policy is {@code canary/policy.yaml}, read with the real policy parser.
 */
class CanaryCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final Instant RECEIVED = Instant.parse("2026-03-01T12:00:00Z");

    record Canary(String value, String kind, Set<String> allowedTo) {}

    static Policy policy() throws IOException {
        try (InputStream in = CanaryCorpusTest.class.getResourceAsStream("/canary/policy.yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return PolicyParser.parse(yaml, "canary/policy.yaml")
                    .maybePolicy()
                    .orElseThrow(() -> new AssertionError(PolicyParser.parse(yaml, "canary/policy.yaml")
                            .errors()
                            .toString()));
        }
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
        Policy policy = policy();
        assertThat(policy.destinations()).hasSize(5);
        DefaultPrivacyEngine engine =
                new DefaultPrivacyEngine(EngineConfig.builder(MaskingKeyring.single(TestEvents.SECRET))
                        .privacy(policy.privacy())
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
            for (DestinationPolicy d : policy.destinations()) {
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

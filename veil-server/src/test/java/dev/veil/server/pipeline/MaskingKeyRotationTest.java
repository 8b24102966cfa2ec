package dev.veil.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.fakes.FakeWebhookReceiver;
import dev.veil.server.EmbeddedStores;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteConfigStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running pipeline (what {@code serve} runs) picks up a masking-key rotation made by another process ({@code
 * veil keys rotate} writes config.db) without a restart: events received after the rotation are masked with the
 * new key, and an event received before it keeps its masked id when it is delivered later.
 */
class MaskingKeyRotationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void a_running_pipeline_masks_with_the_rotated_key_from_the_next_event_on() throws Exception {
        Files.writeString(dir.resolve("webhook.secret"), "rotation-secret\n");
        MasterKey key = MasterKey.load(dir);
        try (FakeWebhookReceiver vendor = FakeWebhookReceiver.start("rotation-secret");
                EmbeddedStores stores = EmbeddedStores.open(dir, key, EventLogOptions.defaults());
                Pipeline pipeline = Pipeline.start(
                        stores,
                        dir,
                        new SimpleMeterRegistry(),
                        ConfiguredConnectors.system(),
                        new Pipeline.PolicyFile("policy.yaml", policy(vendor)))) {
            append(stores, "Signed Up", Instant.now());
            String before =
                    vendor.awaitAccepted(1, Duration.ofSeconds(30)).getFirst().toString();
            String maskedBefore = maskedUserId(before);
            assertThat(before).doesNotContain("patient-4711");
            Instant rotatedAt;

            // Another process rotates the key (as `veil keys rotate --data-dir` does).
            SqliteConfigStore cli = SqliteConfigStore.open(dir, key, Clock.systemUTC());
            try {
                rotatedAt = cli.rotateMaskingSecret().activatedAt();
            } finally {
                cli.close();
            }

            // Events received after the rotation get the new key once the running pipeline has refreshed.
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        append(stores, "Order Completed", Instant.now());
                        Set<String> masked = vendor.accepted().stream()
                                .map(JsonNode::toString)
                                .filter(b -> b.contains("Order Completed"))
                                .map(MaskingKeyRotationTest::maskedUserId)
                                .collect(Collectors.toSet());
                        // Events that arrive before the refresh (at most REFRESH_SECONDS) still get the old key.
                        assertThat(masked).as("masked ids after the rotation").anyMatch(id -> !id.equals(maskedBefore));
                    });
            // An event received before the rotation, delivered only now, keeps its old masked id.
            append(stores, "Plan Chosen", rotatedAt.minusSeconds(1));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(vendor.accepted().stream()
                                    .map(JsonNode::toString)
                                    .filter(b -> b.contains("Plan Chosen"))
                                    .map(MaskingKeyRotationTest::maskedUserId))
                            .containsExactly(maskedBefore));
            assertThat(vendor.violations()).isEmpty();
        }
    }

    private static String maskedUserId(String body) {
        try {
            JsonNode batch = JSON.readTree(body);
            JsonNode event = batch.has("batch") ? batch.get("batch").get(0) : batch;
            return event.path("userId").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void append(EmbeddedStores stores, String event, Instant receivedAt) {
        String messageId = UUID.randomUUID().toString();
        ObjectNode message = JSON.createObjectNode()
                .put("type", "track")
                .put("event", event)
                .put("userId", "patient-4711")
                .put("messageId", messageId);
        stores.eventLog()
                .append(List.of(new RawEvent(
                        "web",
                        messageId,
                        EventType.TRACK,
                        receivedAt,
                        receivedAt,
                        message,
                        "203.0.113.9",
                        "Mozilla/5.0",
                        false)));
    }

    private String policy(FakeWebhookReceiver vendor) {
        return """
                version: 1
                destinations:
                  - id: hook
                    type: webhook
                    settings:
                      url: %s/hooks/veil
                      signingSecret: ${file:%s}
                    events:
                      allow:
                        - name: Signed Up
                        - name: Order Completed
                        - name: Plan Chosen
                """.formatted(vendor.baseUrl(), dir.resolve("webhook.secret"));
    }
}

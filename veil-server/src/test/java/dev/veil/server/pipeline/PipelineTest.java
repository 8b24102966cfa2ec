package dev.veil.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.fakes.FakeWebhookReceiver;
import dev.veil.server.EmbeddedStores;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private FakeWebhookReceiver vendor;
    private EmbeddedStores stores;
    private Pipeline pipeline;

    @BeforeEach
    void setUp() throws Exception {
        vendor = FakeWebhookReceiver.start("pipeline-secret");
        Files.writeString(dir.resolve("webhook.secret"), "pipeline-secret\n");
        stores = EmbeddedStores.open(dir, MasterKey.random(), EventLogOptions.defaults());
    }

    @AfterEach
    void tearDown() {
        if (pipeline != null) {
            pipeline.close();
        }
        stores.close();
        vendor.close();
    }

    private String policy(String... allowedEvents) {
        StringBuilder allow = new StringBuilder();
        for (String e : allowedEvents) {
            allow.append("        - name: ").append(e).append('\n');
        }
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
                %s""".formatted(vendor.baseUrl(), dir.resolve("webhook.secret"), allow);
    }

    private void append(String event, String userId) {
        ObjectNode message = JSON.createObjectNode()
                .put("type", "track")
                .put("event", event)
                .put("userId", userId)
                .put("messageId", UUID.randomUUID().toString());
        message.putObject("properties").put("diagnosis", "canary-diagnosis-7781");
        Instant now = Instant.now();
        stores.eventLog()
                .append(List.of(new RawEvent(
                        "web",
                        message.get("messageId").asText(),
                        EventType.TRACK,
                        now,
                        now,
                        message,
                        "203.0.113.9",
                        "Mozilla/5.0",
                        false)));
    }

    private Pipeline start(String yaml) {
        return Pipeline.start(
                stores,
                dir,
                new SimpleMeterRegistry(),
                ConfiguredConnectors.system(),
                new Pipeline.PolicyFile("policy.yaml", yaml));
    }

    @Test
    void delivers_allowed_events_with_masked_ids_and_nothing_else() throws Exception {
        pipeline = start(policy("Signed Up"));
        append("Signed Up", "patient-4711");
        append("Diagnosis Viewed", "patient-4711");

        List<JsonNode> received = vendor.awaitAccepted(1, Duration.ofSeconds(30));

        assertThat(received).hasSize(1);
        String body = received.get(0).toString();
        assertThat(body).contains("Signed Up").doesNotContain("patient-4711", "canary-diagnosis-7781", "203.0.113.9");
        assertThat(vendor.violations()).isEmpty();
    }

    @Test
    void a_newly_applied_policy_version_takes_effect_without_restart() throws Exception {
        pipeline = start(policy("Signed Up"));
        assertThat(pipeline.runtime().version()).isEqualTo(1);

        stores.config().savePolicy(policy("Signed Up", "Appointment Booked"), "test", "allow bookings");
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> pipeline.runtime().version() == 2);
        append("Appointment Booked", "patient-4711");

        List<JsonNode> received = vendor.awaitAccepted(1, Duration.ofSeconds(30));
        assertThat(received.get(0).toString()).contains("Appointment Booked");
    }

    @Test
    void the_same_policy_file_is_not_stored_again_on_restart() {
        pipeline = start(policy("Signed Up"));
        pipeline.close();
        pipeline = start(policy("Signed Up"));

        assertThat(stores.config().policyHistory()).hasSize(1);
    }

    @Test
    void an_invalid_policy_file_fails_the_start_with_the_validators_report() {
        assertThatThrownBy(() -> start(policy("Signed Up").replace("type: webhook", "type: carrier-pigeon")))
                .hasMessageContaining("destinations[0].type");
    }
}

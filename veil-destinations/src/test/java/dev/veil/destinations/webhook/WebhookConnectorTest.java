package dev.veil.destinations.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.VendorResponse;
import dev.veil.destinations.testing.Events;
import dev.veil.destinations.testing.Leaks;
import dev.veil.destinations.testing.VendorHttp;
import dev.veil.fakes.FakeWebhookReceiver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookConnectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SECRET = "whsec-test".getBytes(StandardCharsets.UTF_8);
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private FakeWebhookReceiver fake;

    @BeforeEach
    void start() {
        fake = FakeWebhookReceiver.start("whsec-test");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private WebhookConnector connector(String secret, Map<String, String> headers, Clock clock) {
        return new WebhookConnector(
                new WebhookSettings(URI.create(fake.baseUrl() + "/hooks/veil"), secret, headers, "", 100), clock);
    }

    @Test
    void posts_the_safe_events_signed_and_the_receiver_verifies_them() throws Exception {
        SafeEvent order = Events.orderCompleted(now);
        SafeEvent identify = new SafeEvent(
                "dest-1",
                EventType.IDENTIFY,
                "id-msg-1",
                now,
                null,
                Events.USER,
                null,
                null,
                null,
                Map.of(),
                Map.of("plan", "gold"),
                SafeContext.EMPTY);
        WebhookConnector connector = connector("whsec-test", Map.of("X-Tenant", "clinic-7"), Clock.systemUTC());

        OutboundRequest r =
                connector.prepare(List.of(order, identify)).requests().get(0);
        VendorResponse response = VendorHttp.send(r);

        assertThat(connector.interpret(r, response)).isEqualTo(new Outcome.Delivered());
        assertThat(fake.violations()).isEmpty();
        assertThat(fake.accepted()).hasSize(2);
        assertThat(fake.requests().get(0).header("x-tenant")).isEqualTo("clinic-7");
        assertThat(WebhookSignature.verify(
                        SECRET,
                        r.headers().get(WebhookSignature.HEADER),
                        r.body(),
                        Instant.now(),
                        Duration.ofMinutes(5)))
                .isTrue();
        JsonNode first = fake.accepted().get(0);
        assertThat(first.get("type").asText()).isEqualTo("track");
        assertThat(first.get("event").asText()).isEqualTo("Order Completed");
        assertThat(first.get("messageId").asText()).isEqualTo(order.messageId());
        assertThat(first.get("timestamp").asText()).isEqualTo(now.toString());
        assertThat(first.get("context").get("geo").get("region").asText()).isEqualTo("CA");
        assertThat(fake.accepted().get(1).get("traits").get("plan").asText()).isEqualTo("gold");
        assertThat(Leaks.foreignValues(
                        JSON.readTree(r.body()),
                        List.of(order, identify),
                        List.of("track", "identify", now.toString())))
                .isEmpty();
    }

    @Test
    void a_wrong_secret_fails_verification_and_the_receiver_refuses_it() {
        WebhookConnector wrong = connector("not-the-secret", Map.of(), Clock.systemUTC());
        OutboundRequest r = wrong.prepare(List.of(Events.page(now))).requests().get(0);

        assertThat(WebhookSignature.verify(
                        SECRET,
                        r.headers().get(WebhookSignature.HEADER),
                        r.body(),
                        Instant.now(),
                        Duration.ofMinutes(5)))
                .isFalse();
        Outcome outcome = wrong.interpret(r, VendorHttp.send(r));
        assertThat(outcome)
                .as("a receiver refusing the signature refuses every request: pause, lose nothing")
                .isEqualTo(new Outcome.AuthFailed("webhook: HTTP 401"));
        assertThat(fake.violations()).containsExactly("X-Veil-Signature: does not match");
    }

    @Test
    void a_tampered_body_or_an_old_timestamp_fails_verification() {
        Instant signedAt = Instant.parse("2026-01-01T00:00:00Z");
        WebhookConnector old = connector("whsec-test", Map.of(), Clock.fixed(signedAt, ZoneOffset.UTC));
        OutboundRequest r = old.prepare(List.of(Events.page(now))).requests().get(0);
        String header = r.headers().get(WebhookSignature.HEADER);

        assertThat(header).matches("t=1767225600,v1=[0-9a-f]{64}");
        assertThat(WebhookSignature.verify(SECRET, header, r.body(), signedAt.plusSeconds(60), Duration.ofMinutes(5)))
                .isTrue();
        byte[] tampered = new String(r.body(), StandardCharsets.UTF_8)
                .replace("page-msg-0001", "page-msg-0002")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.verify(SECRET, header, tampered, signedAt, Duration.ofMinutes(5)))
                .isFalse();
        assertThat(WebhookSignature.verify(SECRET, header, r.body(), signedAt.plusSeconds(600), Duration.ofMinutes(5)))
                .isFalse();
        assertThat(old.interpret(r, VendorHttp.send(r))).isInstanceOf(Outcome.AuthFailed.class);
        assertThat(fake.violations()).containsExactly("X-Veil-Signature: timestamp outside the tolerance");
    }

    @Test
    void interprets_receiver_statuses() {
        WebhookConnector connector = connector("whsec-test", Map.of(), Clock.systemUTC());
        OutboundRequest r =
                connector.prepare(List.of(Events.page(now))).requests().get(0);

        assertThat(connector.interpret(r, new VendorResponse(202, Map.of(), "")))
                .isEqualTo(new Outcome.Delivered());
        assertThat(connector.interpret(r, new VendorResponse(429, Map.of("retry-after", List.of("5")), "")))
                .isEqualTo(new Outcome.Retry("webhook: HTTP 429", Duration.ofSeconds(5)));
        assertThat(connector.interpret(r, new VendorResponse(500, Map.of(), "secret echo")))
                .isEqualTo(new Outcome.Retry("webhook: HTTP 500", null));
        assertThat(connector.interpret(r, new VendorResponse(422, Map.of(), "echo")))
                .isEqualTo(new Outcome.Failed("webhook: HTTP 422"));
    }

    @Test
    void the_factory_parses_headers_and_refuses_to_override_the_signature() {
        ConnectorFactory factory = ConnectorFactory.loadAll().get("webhook");

        assertThat(factory.descriptor().setting("signingSecret").orElseThrow().secret())
                .isTrue();
        assertThat(factory.descriptor().setting("authorization").orElseThrow().secret())
                .isTrue();
        assertThat(WebhookSettings.parseHeaders("w", "X-A: 1; X-B: two\nX-C:3"))
                .containsExactly(Map.entry("X-A", "1"), Map.entry("X-B", "two"), Map.entry("X-C", "3"));
        assertThatThrownBy(() -> factory.create(
                        "w",
                        Map.of(
                                "url",
                                "https://h.example/x",
                                "signingSecret",
                                "s",
                                "headers",
                                "X-Veil-Signature: forged")))
                .hasMessageContaining("entry 1 sets X-Veil-Signature");
        assertThat(WebhookSettings.from(
                                "w",
                                Map.of(
                                        "url",
                                        "https://h.example/x?token=abc",
                                        "signingSecret",
                                        "topsecret",
                                        "authorization",
                                        "Bearer zzz"))
                        .toString())
                .doesNotContain("topsecret", "zzz", "token=abc");
    }
}

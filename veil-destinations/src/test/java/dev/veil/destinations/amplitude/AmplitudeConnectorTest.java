package dev.veil.destinations.amplitude;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.Rejected;
import dev.veil.destinations.spi.VendorResponse;
import dev.veil.destinations.testing.Events;
import dev.veil.destinations.testing.Leaks;
import dev.veil.destinations.testing.VendorHttp;
import dev.veil.fakes.FakeAmplitude;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AmplitudeConnectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private FakeAmplitude fake;
    private AmplitudeConnector connector;

    @BeforeEach
    void start() {
        fake = FakeAmplitude.start("amp-key-123");
        connector = connector("amp-key-123");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private AmplitudeConnector connector(String key) {
        return new AmplitudeConnector(new AmplitudeSettings(URI.create(fake.baseUrl() + "/2/httpapi"), key, 5));
    }

    @Test
    void sends_events_with_masked_ids_insert_id_session_and_device_fields_but_no_ip() throws Exception {
        SafeEvent order = Events.orderCompleted(now);

        OutboundRequest r = connector.prepare(List.of(order)).requests().get(0);
        VendorResponse response = VendorHttp.send(r);

        assertThat(connector.interpret(r, response)).isEqualTo(new Outcome.Delivered());
        assertThat(fake.violations()).isEmpty();
        JsonNode event = fake.accepted().get(0);
        ObjectNode expected = (ObjectNode) JSON.readTree("{\"event_type\":\"Order Completed\",\"user_id\":\""
                + Events.USER + "\",\"device_id\":\"" + Events.ANON + "\",\"time\":" + now.toEpochMilli()
                + ",\"insert_id\":\"" + order.messageId() + "\",\"session_id\":1764000000000,\"platform\":\"Web\","
                + "\"country\":\"US\",\"region\":\"CA\",\"os_name\":\"Chrome\",\"os_version\":\"131\","
                + "\"device_model\":\"Windows\",\"device_type\":\"desktop\","
                + "\"language\":\"en-US\",\"revenue\":129.5}");
        ObjectNode withoutProps = event.deepCopy();
        withoutProps.remove("event_properties");
        assertThat(withoutProps).isEqualTo(expected);
        assertThat(event.get("event_properties").get("utm_campaign").asText()).isEqualTo("spring");
        assertThat(event.get("event_properties").get("service_line").asText()).isEqualTo("primary-care");
        assertThat(event.has("ip")).isFalse();
        assertThat(Leaks.foreignValues(
                        JSON.readTree(r.body()),
                        List.of(order),
                        List.of("amp-key-123", "Web", Long.toString(now.toEpochMilli()))))
                .isEmpty();
    }

    @Test
    void rejects_reserved_names_and_events_without_a_long_enough_id() {
        SafeEvent reserved = Events.withId(Events.track("[Amplitude] Revenue", now, Map.of()), "r");
        SafeEvent shortIds = Events.withIds(Events.withId(Events.track("Signed Up", now, Map.of()), "s"), "abc", "x");

        Prepared prepared = connector.prepare(List.of(reserved, shortIds));

        assertThat(prepared.requests()).isEmpty();
        assertThat(prepared.rejected())
                .extracting(Rejected::reason)
                .satisfiesExactly(
                        r -> assertThat(r).contains("event_type: reserved"),
                        r -> assertThat(r).contains("at least 5 characters"));
    }

    @Test
    void a_400_with_invalid_events_resends_the_others_and_dead_letters_the_invalid_with_precise_reasons()
            throws Exception {
        OutboundRequest good = connector
                .prepare(List.of(Events.orderCompleted(now), Events.page(now)))
                .requests()
                .get(0);
        ObjectNode body = (ObjectNode) JSON.readTree(good.body());
        ((ObjectNode) body.get("events").get(1)).put("time", "yesterday");
        OutboundRequest tampered = new OutboundRequest(
                good.method(), good.uri(), good.headers(), JSON.writeValueAsBytes(body), good.messageIds());

        VendorResponse response = VendorHttp.send(tampered);
        Outcome outcome = connector.interpret(tampered, response);

        assertThat(response.status()).isEqualTo(400);
        assertThat(fake.accepted()).isEmpty();
        assertThat(outcome)
                .isEqualTo(new Outcome.Resend(
                        List.of(new Rejected("page-msg-0001", "amplitude: invalid field time")),
                        "amplitude: HTTP 400 with 1 invalid event of 2"));
    }

    @Test
    void a_wrong_api_key_pauses_the_destination_without_echoing_the_key() {
        AmplitudeConnector wrong = connector("leaky-key");
        OutboundRequest r = wrong.prepare(List.of(Events.page(now))).requests().get(0);

        Outcome outcome = wrong.interpret(r, VendorHttp.send(r));

        assertThat(outcome).isEqualTo(new Outcome.AuthFailed("amplitude: HTTP 400 invalid API key"));
    }

    @Test
    void throttling_retries_after_30_seconds() {
        List<SafeEvent> burst = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            burst.add(Events.withId(Events.track("Signed Up", now.plusMillis(i), Map.of()), "b" + i));
        }
        OutboundRequest r = connector.prepare(burst).requests().get(0);

        Outcome outcome = connector.interpret(r, VendorHttp.send(r));

        assertThat(outcome).isEqualTo(new Outcome.Retry("amplitude: HTTP 429 throttled", Duration.ofSeconds(30)));
        assertThat(connector.interpret(r, new VendorResponse(503, Map.of(), "")))
                .isInstanceOf(Outcome.Retry.class);
        assertThat(connector.interpret(r, new VendorResponse(413, Map.of(), "")))
                .isInstanceOf(Outcome.Split.class);
    }

    @Test
    void the_factory_marks_the_api_key_secret() {
        ConnectorFactory factory = ConnectorFactory.loadAll().get("amplitude");

        assertThat(factory.descriptor().setting("apiKey").orElseThrow().secret())
                .isTrue();
        assertThat(factory.create("a", Map.of("apiKey", "k")).limits().maxEvents())
                .isLessThan(2000);
        assertThat(AmplitudeSettings.from("a", Map.of("apiKey", "k-secret")).toString())
                .doesNotContain("k-secret");
    }
}

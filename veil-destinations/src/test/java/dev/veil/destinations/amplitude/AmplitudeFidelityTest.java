package dev.veil.destinations.amplitude;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.Rejected;
import dev.veil.destinations.spi.VendorResponse;
import dev.veil.destinations.testing.ConnectorHarness;
import dev.veil.destinations.testing.Events;
import dev.veil.destinations.testing.SegmentSpec;
import dev.veil.destinations.testing.VendorHttp;
import dev.veil.fakes.FakeAmplitude;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 10's Amplitude defects, each reproduced against {@link FakeAmplitude} and fixed. */
class AmplitudeFidelityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private FakeAmplitude fake;
    private AmplitudeConnector connector;
    private ConnectorHarness harness;

    @BeforeEach
    void start() {
        fake = FakeAmplitude.start("amp-key");
        connector =
                new AmplitudeConnector(new AmplitudeSettings(URI.create(fake.baseUrl() + "/2/httpapi"), "amp-key", 5));
        harness = new ConnectorHarness(connector, fake, fake::incomplete);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private SafeEvent track(String name, String id) {
        return Events.withId(Events.track(name, now, SegmentSpec.properties(name)), id);
    }

    @Test
    void a_400_listing_invalid_events_resends_the_valid_ones_and_dead_letters_only_the_invalid() throws Exception {
        List<SafeEvent> batch =
                List.of(track("Signed Up", "ok-1"), track("Product Viewed", "bad-1"), track("Signed Up", "ok-2"));
        OutboundRequest r = connector.prepare(batch).requests().getFirst();
        ObjectNode body = (ObjectNode) JSON.readTree(r.body());
        ((ObjectNode) body.get("events").get(1)).put("time", "yesterday");
        OutboundRequest tampered =
                new OutboundRequest(r.method(), r.uri(), r.headers(), JSON.writeValueAsBytes(body), r.messageIds());

        Outcome outcome = connector.interpret(tampered, VendorHttp.send(tampered));

        assertThat(outcome)
                .isEqualTo(new Outcome.Resend(
                        List.of(new Rejected("bad-1", "amplitude: invalid field time")),
                        "amplitude: HTTP 400 with 1 invalid event of 3"));
        assertThat(fake.accepted()).as("Amplitude ingested none of the request").isEmpty();
        fake.resetRecords();
        // The engine prepares the others again and sends them.
        harness.deliverValid(batch.get(0), batch.get(2));
        assertThat(fake.accepted()).hasSize(2);
    }

    @Test
    void revenue_comes_from_revenue_only_and_a_checkout_does_not_count_the_order_twice() {
        harness.deliverValid(
                track("Checkout Started", "checkout"),
                track("Order Completed", "order"),
                track("Product Viewed", "viewed"),
                Events.withId(Events.track("Order Refunded", now, Map.of("revenue", 10, "currency", "USD")), "refund"));

        assertThat(fake.revenue())
                .as("Order Completed's revenue (25), not its value or total; the refund negative")
                .isEqualByComparingTo("15");
        assertThat(fake.accepted().getFirst().has("revenue")).isFalse();
    }

    @Test
    void identify_updates_the_allowed_traits_with_an_identify_event() {
        SafeEvent identify = Events.identify("identify-1", now, Map.of("plan", "basic", "visits", 3));

        Prepared prepared = harness.deliverValid(identify);

        assertThat(prepared.skipped()).isEmpty();
        JsonNode props = fake.userProperties().get(Events.USER);
        assertThat(props.path("plan").asText()).isEqualTo("basic");
        assertThat(props.path("visits").asInt()).isEqualTo(3);
        assertThat(fake.accepted().getFirst().path("event_type").asText()).isEqualTo("$identify");
    }

    @Test
    void web_events_report_the_browser_as_os_and_the_os_as_device_model_like_the_browser_sdk() {
        harness.deliverValid(track("Signed Up", "web-1"));

        assertThat(fake.incomplete()).isEmpty();
        JsonNode e = fake.accepted().getFirst();
        assertThat(e.path("os_name").asText()).isEqualTo("Chrome");
        assertThat(e.path("os_version").asText()).isEqualTo("131");
        assertThat(e.path("device_model").asText()).isEqualTo("Windows");
        assertThat(e.path("platform").asText()).isEqualTo("Web");
    }

    @Test
    void a_refused_api_key_pauses_the_destination() {
        OutboundRequest r =
                connector.prepare(List.of(track("Signed Up", "k"))).requests().getFirst();

        assertThat(connector.interpret(
                        r, new VendorResponse(400, Map.of(), "{\"code\":400,\"error\":\"Invalid API key: amp-key\"}")))
                .isEqualTo(new Outcome.AuthFailed("amplitude: HTTP 400 invalid API key"));
    }

    @Test
    void a_retry_after_an_answer_lost_in_transit_counts_each_event_once_thanks_to_insert_id() {
        List<SafeEvent> batch = List.of(track("Signed Up", "a-1"), track("Order Completed", "a-2"));

        harness.deliverRetryingALostAnswer(batch);

        assertThat(fake.accepted()).as("Amplitude received every event twice").hasSize(4);
        assertThat(fake.distinctDedupKeys()).as("and counts each once").isEqualTo(2);
        assertThat(fake.revenue()).as("the order's revenue once").isEqualByComparingTo("25");
    }
}

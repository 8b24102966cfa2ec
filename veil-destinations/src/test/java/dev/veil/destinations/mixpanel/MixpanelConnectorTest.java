package dev.veil.destinations.mixpanel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import dev.veil.fakes.FakeMixpanel;
import dev.veil.fakes.Fault;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MixpanelConnectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private FakeMixpanel fake;
    private MixpanelConnector connector;

    @BeforeEach
    void start() {
        fake = FakeMixpanel.start("4242", "ptoken", "sa.user", "sa-secret");
        connector = new MixpanelConnector(
                new MixpanelSettings(URI.create(fake.baseUrl()), "", "ptoken", "", ""), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void imports_events_with_masked_distinct_id_insert_id_and_coarse_location_but_no_ip() throws Exception {
        SafeEvent order = Events.orderCompleted(now);
        SafeEvent page = Events.page(now);

        OutboundRequest r = connector.prepare(List.of(order, page)).requests().get(0);
        VendorResponse response = VendorHttp.send(r);

        assertThat(connector.interpret(r, response)).isEqualTo(new Outcome.Delivered());
        assertThat(fake.violations()).isEmpty();
        assertThat(fake.accepted()).hasSize(2);
        JsonNode event = fake.accepted().get(0);
        assertThat(event.get("event").asText()).isEqualTo("Order Completed");
        JsonNode props = event.get("properties");
        assertThat(props.get("distinct_id").asText()).isEqualTo(Events.USER);
        assertThat(props.get("$device_id").asText()).isEqualTo(Events.ANON);
        assertThat(props.get("$insert_id").asText()).isEqualTo(order.messageId());
        assertThat(props.get("time").asLong()).isEqualTo(now.toEpochMilli());
        assertThat(props.get("mp_country_code").asText()).isEqualTo("US");
        assertThat(props.get("$region").asText()).isEqualTo("California");
        assertThat(props.get("utm_source").asText()).isEqualTo("newsletter");
        assertThat(props.get("revenue").asDouble()).isEqualTo(129.5);
        assertThat(props.has("ip")).isFalse();
        assertThat(fake.accepted().get(1).get("event").asText()).isEqualTo("Loaded a Page");
        assertThat(Leaks.foreignValues(
                        JSON.readTree(r.body()),
                        List.of(order, page),
                        List.of("Loaded a Page", Long.toString(now.toEpochMilli()), "1920", "1080", "California")))
                .isEmpty();
    }

    @Test
    void derives_a_valid_insert_id_from_long_or_unusual_message_ids() throws Exception {
        SafeEvent e = Events.withId(
                Events.track("Signed Up", now, Map.of("ip", "10.1.2.3")),
                "ajs-next-1764000000000-5d2c7a0e-b4c1-4e57-9b0f-6d7f2f3a9c1e");

        OutboundRequest r = connector.prepare(List.of(e)).requests().get(0);
        VendorHttp.send(r);

        assertThat(fake.violations()).isEmpty();
        JsonNode props = fake.accepted().get(0).get("properties");
        assertThat(props.get("$insert_id").asText()).matches("[0-9a-f]{32}");
        assertThat(props.has("ip")).isFalse();
        assertThat(new String(r.body())).doesNotContain("10.1.2.3");
    }

    @Test
    void rejects_what_mixpanel_would_refuse() {
        SafeEvent future = Events.withId(Events.track("Signed Up", now.plus(Duration.ofHours(2)), Map.of()), "f");
        SafeEvent noIds = Events.withIds(Events.withId(Events.track("Signed Up", now, Map.of()), "n"), null, null);
        SafeEvent deep = Events.withId(
                Events.track("Signed Up", now, Map.of("a", Map.of("b", Map.of("c", Map.of("d", Map.of("e", 1)))))),
                "d");

        Map<String, Object> wide = new java.util.HashMap<>();
        for (int i = 0; i < 255; i++) {
            wide.put("k" + i, i);
        }
        SafeEvent wideObject = Events.withId(Events.track("Signed Up", now, Map.of("w", wide)), "w");

        Prepared prepared = connector.prepare(List.of(future, noIds, deep, wideObject));

        assertThat(prepared.requests()).isEmpty();
        assertThat(prepared.rejected())
                .extracting(Rejected::reason)
                .satisfiesExactly(
                        r -> assertThat(r).contains("properties.time").contains("future"),
                        r -> assertThat(r).contains("properties.distinct_id: required"),
                        r -> assertThat(r).contains("properties.a: nested 4 levels"),
                        r -> assertThat(r).contains("properties.w: an object has more than 254 keys"));
    }

    @Test
    void a_400_with_failed_records_is_a_partial_delivery_naming_the_field_not_the_value() throws Exception {
        OutboundRequest good = connector
                .prepare(List.of(Events.orderCompleted(now), Events.page(now)))
                .requests()
                .get(0);
        ArrayNode events = (ArrayNode) JSON.readTree(good.body());
        ((ObjectNode) events.get(1).get("properties")).put("distinct_id", "undefined");
        OutboundRequest tampered = new OutboundRequest(
                good.method(), good.uri(), good.headers(), JSON.writeValueAsBytes(events), good.messageIds());

        Outcome outcome = connector.interpret(tampered, VendorHttp.send(tampered));

        assertThat(outcome)
                .isEqualTo(new Outcome.PartiallyDelivered(List.of(
                        new Rejected("page-msg-0001", "mixpanel failed_records: properties.distinct_id rejected"))));
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void authenticates_with_a_service_account_and_project_id() {
        MixpanelConnector sa = new MixpanelConnector(
                new MixpanelSettings(URI.create(fake.baseUrl()), "4242", "", "sa.user", "sa-secret"),
                Clock.systemUTC());
        OutboundRequest r = sa.prepare(List.of(Events.page(now))).requests().get(0);

        assertThat(sa.interpret(r, VendorHttp.send(r))).isEqualTo(new Outcome.Delivered());
        assertThat(r.uri().getQuery()).isEqualTo("strict=1&ip=0&project_id=4242");
    }

    @Test
    void interprets_auth_failures_size_and_backoff() {
        MixpanelConnector wrong = new MixpanelConnector(
                new MixpanelSettings(URI.create(fake.baseUrl()), "", "nope", "", ""), Clock.systemUTC());
        OutboundRequest r = wrong.prepare(List.of(Events.page(now))).requests().get(0);
        assertThat(wrong.interpret(r, VendorHttp.send(r))).isEqualTo(new Outcome.AuthFailed("mixpanel: HTTP 401"));

        fake.faults().failNext(1, Fault.status(429));
        OutboundRequest ok =
                connector.prepare(List.of(Events.page(now))).requests().get(0);
        assertThat(connector.interpret(ok, VendorHttp.send(ok)))
                .isEqualTo(new Outcome.Retry("mixpanel: HTTP 429", Duration.ofSeconds(2)));
        assertThat(connector.interpret(ok, new VendorResponse(503, Map.of("retry-after", List.of("20")), "")))
                .isEqualTo(new Outcome.Retry("mixpanel: HTTP 503", Duration.ofSeconds(20)));
        assertThat(connector.interpret(ok, new VendorResponse(413, Map.of(), "")))
                .isInstanceOf(Outcome.Split.class);
    }

    @Test
    void the_factory_needs_a_token_or_a_service_account_and_marks_both_secret() {
        ConnectorFactory factory = ConnectorFactory.loadAll().get("mixpanel");

        assertThat(factory.descriptor().setting("projectToken").orElseThrow().secret())
                .isTrue();
        assertThat(factory.descriptor()
                        .setting("serviceAccountSecret")
                        .orElseThrow()
                        .secret())
                .isTrue();
        assertThatThrownBy(() -> factory.create("mp", Map.of())).hasMessageContaining("'projectToken' is required");
        assertThatThrownBy(() ->
                        factory.create("mp", Map.of("serviceAccountUsername", "u", "serviceAccountSecret", "s3cret")))
                .hasMessageContaining("'projectId'")
                .hasMessageNotContaining("s3cret");
    }
}

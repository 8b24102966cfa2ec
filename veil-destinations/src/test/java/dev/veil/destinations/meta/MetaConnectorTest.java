package dev.veil.destinations.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.VendorResponse;
import dev.veil.destinations.testing.Events;
import dev.veil.destinations.testing.Leaks;
import dev.veil.destinations.testing.VendorHttp;
import dev.veil.fakes.FakeMeta;
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

class MetaConnectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private FakeMeta fake;
    private MetaConnector connector;

    @BeforeEach
    void start() {
        fake = FakeMeta.start("1234567890", "EAAtoken");
        connector = connector("EAAtoken");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private MetaConnector connector(String token) {
        return new MetaConnector(
                new MetaSettings(
                        URI.create(fake.baseUrl()),
                        MetaSettings.DEFAULT_VERSION,
                        "1234567890",
                        token,
                        "",
                        "website",
                        false),
                Clock.systemUTC());
    }

    @Test
    void sends_order_completed_as_purchase_with_dedup_id_and_matching_keys() throws Exception {
        SafeEvent order = Events.orderCompleted(now.minusSeconds(60));

        Prepared prepared = connector.prepare(List.of(order));
        OutboundRequest request = prepared.requests().get(0);
        VendorResponse response = VendorHttp.send(request);

        assertThat(connector.interpret(request, response)).isEqualTo(new Outcome.Delivered());
        assertThat(fake.violations()).isEmpty();
        JsonNode event = fake.accepted().get(0);
        assertThat(event.get("event_name").asText()).isEqualTo("Purchase");
        assertThat(event.get("event_id").asText()).isEqualTo(order.messageId());
        assertThat(event.get("event_time").asLong()).isEqualTo(order.timestamp().getEpochSecond());
        assertThat(event.get("action_source").asText()).isEqualTo("website");
        assertThat(event.get("event_source_url").asText())
                .isEqualTo(order.context().pageUrl());
        assertThat(event.get("user_data"))
                .isEqualTo(JSON.readTree("{\"external_id\":[\"" + Events.USER + "\",\"" + Events.ANON + "\"],"
                        + "\"fbc\":\"fb.1.1764000000000.AbCdEf\",\"fbp\":\"fb.1.1764000000000.1098115397\","
                        + "\"client_user_agent\":\"" + order.context().rawUserAgent() + "\"}"));
        JsonNode custom = event.get("custom_data");
        assertThat(custom.get("value").decimalValue()).isEqualByComparingTo("129.5");
        assertThat(custom.get("currency").asText()).isEqualTo("USD");
        assertThat(custom.get("content_ids").get(0).asText()).isEqualTo("sku-7");
        assertThat(custom.get("service_line").asText()).isEqualTo("primary-care");
        assertThat(Leaks.foreignValues(
                        JSON.readTree(request.body()),
                        List.of(order),
                        List.of(
                                "Purchase",
                                "website",
                                "USD",
                                "product",
                                Long.toString(order.timestamp().getEpochSecond()))))
                .isEmpty();
    }

    @Test
    void maps_semantic_events_and_pages() {
        assertThat(connector.eventName(Events.track("Signed Up", now, Map.of())))
                .isEqualTo("CompleteRegistration");
        assertThat(connector.eventName(Events.track("Products Searched", now, Map.of())))
                .isEqualTo("Search");
        assertThat(connector.eventName(Events.track("Product Viewed", now, Map.of())))
                .isEqualTo("ViewContent");
        assertThat(connector.eventName(Events.track("Product Added", now, Map.of())))
                .isEqualTo("AddToCart");
        assertThat(connector.eventName(Events.track("Checkout Started", now, Map.of())))
                .isEqualTo("InitiateCheckout");
        assertThat(connector.eventName(Events.track("Lead Generated", now, Map.of())))
                .isEqualTo("Lead");
        assertThat(connector.eventName(Events.page(now))).isEqualTo("PageView");
        assertThat(connector.eventName(Events.track("book_appointment", now, Map.of())))
                .isEqualTo("book_appointment");
    }

    @Test
    void resending_the_same_events_is_deduplicated_by_event_id() {
        OutboundRequest r = connector
                .prepare(List.of(Events.orderCompleted(now), Events.page(now)))
                .requests()
                .get(0);

        VendorHttp.send(r);
        VendorHttp.send(r);

        assertThat(fake.accepted()).hasSize(4);
        assertThat(fake.distinctDedupKeys()).isEqualTo(2);
        assertThat(fake.duplicates()).isEqualTo(2);
    }

    @Test
    void rejects_stale_events_before_they_fail_the_whole_request() throws Exception {
        SafeEvent stale = Events.withId(Events.track("Signed Up", now.minus(Duration.ofDays(8)), Map.of()), "old");
        SafeEvent fresh = Events.withId(Events.track("Signed Up", now, Map.of()), "new");

        Prepared prepared = connector.prepare(List.of(stale, fresh));
        VendorResponse response = VendorHttp.send(prepared.requests().get(0));

        assertThat(prepared.rejected()).singleElement().satisfies(r -> {
            assertThat(r.messageId()).isEqualTo("old");
            assertThat(r.reason()).contains("event_time").contains("7 days");
        });
        assertThat(response.status()).isEqualTo(200);
        assertThat(prepared.requests().get(0).messageIds()).containsExactly("new");
    }

    @Test
    void rejects_website_events_without_user_agent_or_url_and_events_without_user_data() {
        SafeContext noUa = new SafeContext(
                null,
                null,
                null,
                null,
                "https://x.example/",
                "/",
                null,
                null,
                Map.of(),
                null,
                null,
                Map.of(),
                Map.of());
        SafeContext noUrl = new SafeContext(
                null, null, null, "UA/1", null, null, null, null, Map.of(), null, null, Map.of(), Map.of());
        SafeEvent a = Events.withContext(Events.withId(Events.track("Signed Up", now, Map.of()), "a"), noUa);
        SafeEvent b = Events.withContext(Events.withId(Events.track("Signed Up", now, Map.of()), "b"), noUrl);
        SafeEvent c = Events.withIds(
                Events.withContext(Events.withId(Events.track("Signed Up", now, Map.of()), "c"), SafeContext.EMPTY),
                null,
                null);

        Prepared prepared = connector.prepare(List.of(a, b, c));

        assertThat(prepared.requests()).isEmpty();
        assertThat(prepared.rejected())
                .extracting(r -> r.reason())
                .satisfiesExactly(
                        r -> assertThat(r).contains("user_data.client_user_agent: required"),
                        r -> assertThat(r).contains("event_source_url: required"),
                        r -> assertThat(r).contains("user_data: needs at least one parameter"));
    }

    @Test
    void the_fake_fails_the_whole_request_for_one_stale_event_and_the_connector_asks_to_isolate_it() throws Exception {
        SafeEvent fresh = Events.track("Signed Up", now, Map.of());
        OutboundRequest good = connector.prepare(List.of(fresh)).requests().get(0);
        JsonNode body = JSON.readTree(good.body());
        var staleCopy = body.get("data").get(0).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) staleCopy)
                .put("event_time", now.minus(Duration.ofDays(8)).getEpochSecond());
        ((com.fasterxml.jackson.databind.node.ArrayNode) body.get("data")).add(staleCopy);
        OutboundRequest tampered = new OutboundRequest(
                good.method(), good.uri(), good.headers(), JSON.writeValueAsBytes(body), List.of("x", "y"));

        VendorResponse response = VendorHttp.send(tampered);

        assertThat(response.status()).isEqualTo(400);
        assertThat(fake.accepted()).isEmpty();
        Outcome outcome = connector.interpret(tampered, response);
        assertThat(outcome)
                .isEqualTo(new Outcome.Split("meta: HTTP 400 error code 100 subcode 2804003 (OAuthException)"));
    }

    @Test
    void a_wrong_token_pauses_with_code_190_and_no_message_text() {
        MetaConnector wrong = connector("nope");
        OutboundRequest r = wrong.prepare(List.of(Events.page(now))).requests().get(0);

        Outcome outcome = wrong.interpret(r, VendorHttp.send(r));

        assertThat(outcome).isEqualTo(new Outcome.AuthFailed("meta: HTTP 400 error code 190 (OAuthException)"));
    }

    @Test
    void interprets_throttling_and_server_errors_as_retry() {
        OutboundRequest r =
                connector.prepare(List.of(Events.page(now))).requests().get(0);

        assertThat(connector.interpret(
                        r,
                        new VendorResponse(
                                400, Map.of(), "{\"error\":{\"message\":\"User request limit reached\",\"code\":17}}")))
                .isInstanceOf(Outcome.Retry.class);
        assertThat(connector.interpret(r, new VendorResponse(429, Map.of("retry-after", List.of("30")), "")))
                .isEqualTo(new Outcome.Retry("meta: HTTP 429", Duration.ofSeconds(30)));
        assertThat(connector.interpret(r, new VendorResponse(502, Map.of(), "<html>")))
                .isInstanceOf(Outcome.Retry.class);
    }

    @Test
    void the_factory_marks_the_token_secret_and_never_prints_it() {
        ConnectorFactory factory = ConnectorFactory.loadAll().get("meta");

        assertThat(factory.descriptor().setting("accessToken").orElseThrow().secret())
                .isTrue();
        assertThatThrownBy(() -> factory.create("m", Map.of("accessToken", "EAAx")))
                .hasMessageContaining("'pixelId' is required")
                .hasMessageNotContaining("EAAx");
        assertThatThrownBy(() -> factory.create("m", Map.of("pixelId", "px-42", "accessToken", "EAAx")))
                .hasMessage("meta destination m: setting 'pixelId' must look like digits only");
        assertThatThrownBy(
                        () -> factory.create("m", Map.of("pixelId", "42", "accessToken", "x", "actionSource", "web")))
                .hasMessageContaining("setting 'actionSource' must be one of [app, business_messaging, chat, email");
        OutboundRequest r = factory.create("m", Map.of("pixelId", "42", "accessToken", "EAAsecret"))
                .prepare(List.of(Events.page(now)))
                .requests()
                .get(0);
        assertThat(r.uri().getPath()).isEqualTo("/v27.0/42/events");
        assertThat(r.toString()).doesNotContain("EAAsecret");
    }
}

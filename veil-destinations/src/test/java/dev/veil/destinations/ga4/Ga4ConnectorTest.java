package dev.veil.destinations.ga4;

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
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.VendorResponse;
import dev.veil.destinations.testing.Events;
import dev.veil.destinations.testing.Leaks;
import dev.veil.destinations.testing.VendorHttp;
import dev.veil.fakes.FakeGa4;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Ga4ConnectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private FakeGa4 fake;
    private Ga4Connector connector;

    @BeforeEach
    void start() {
        fake = FakeGa4.start("G-TEST123", "s3cr3t-api");
        connector = connector("/mp/collect");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private Ga4Connector connector(String path) {
        return new Ga4Connector(
                new Ga4Settings(URI.create(fake.baseUrl() + path), "G-TEST123", "s3cr3t-api", 100), Clock.systemUTC());
    }

    private static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private List<JsonNode> sendAll(Prepared prepared) throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        for (OutboundRequest r : prepared.requests()) {
            VendorResponse resp = VendorHttp.send(r);
            assertThat(connector.interpret(r, resp)).isEqualTo(new Outcome.Delivered());
            bodies.add(JSON.readTree(r.body()));
        }
        return bodies;
    }

    @Test
    void sends_order_completed_as_purchase_with_client_location_and_device() throws Exception {
        SafeEvent order = Events.orderCompleted(now.minusSeconds(30));

        Prepared prepared = connector.prepare(List.of(order));
        List<JsonNode> bodies = sendAll(prepared);

        assertThat(prepared.rejected()).isEmpty();
        assertThat(fake.violations()).isEmpty();
        assertThat(fake.accepted()).hasSize(1);
        JsonNode body = bodies.get(0);
        assertThat(body.get("client_id").asText()).matches("[0-9]+\\.[0-9]+").isEqualTo(Ga4Mapper.clientId(order));
        assertThat(body.get("user_id").asText()).isEqualTo(Events.USER);
        assertThat(body.get("user_location"))
                .isEqualTo(JSON.readTree("{\"country_id\":\"US\",\"region_id\":\"US-CA\"}"));
        assertThat(body.get("device"))
                .isEqualTo(JSON.readTree("{\"category\":\"desktop\",\"operating_system\":\"Windows\","
                        + "\"browser\":\"Chrome\",\"browser_version\":\"131\",\"language\":\"en-US\","
                        + "\"screen_resolution\":\"1920x1080\"}"));
        assertThat(body.get("consent").get("ad_user_data").asText()).isEqualTo("GRANTED");
        JsonNode event = fake.accepted().get(0);
        assertThat(event.get("name").asText()).isEqualTo("purchase");
        assertThat(event.get("timestamp_micros").asLong()).isEqualTo(micros(order.timestamp()));
        JsonNode params = event.get("params");
        assertThat(params.get("value").decimalValue()).isEqualByComparingTo("129.5");
        assertThat(params.get("currency").asText()).isEqualTo("USD");
        assertThat(params.get("transaction_id").asText()).isEqualTo("ord-981");
        assertThat(params.get("items").get(0).get("item_id").asText()).isEqualTo("sku-7");
        assertThat(params.get("items").get(0).get("item_name").asText()).isEqualTo("Flu shot");
        assertThat(params.get("service_line").asText()).isEqualTo("primary-care");
        assertThat(params.get("session_id").asLong()).isEqualTo(1_764_000_000_000L);
        assertThat(params.get("engagement_time_msec").asLong()).isEqualTo(1234L);
        assertThat(params.get("campaign").asText()).isEqualTo("spring");
        assertThat(params.get("campaign_id").asText()).isEqualTo("cmp42");
        assertThat(Leaks.foreignValues(
                        body,
                        List.of(order),
                        List.of(
                                "purchase",
                                "USD",
                                "US-CA",
                                "GRANTED",
                                Long.toString(micros(order.timestamp())),
                                Ga4Mapper.clientId(order))))
                .isEmpty();
    }

    @Test
    void never_sends_the_raw_user_agent_ip_or_click_ids() throws Exception {
        SafeContext withIp = new SafeContext(
                null,
                "203.0.113.9",
                null,
                "Mozilla/5.0 raw",
                null,
                null,
                null,
                null,
                Map.of(),
                null,
                null,
                Map.of("gclid", "Cj0Kgclid"),
                Map.of());
        SafeEvent e = Events.withContext(Events.track("Signed Up", now, Map.of()), withIp);

        String body = new String(connector.prepare(List.of(e)).requests().get(0).body());

        assertThat(body).doesNotContain("203.0.113.9", "Mozilla", "Cj0Kgclid").contains("\"sign_up\"");
    }

    @Test
    void sends_page_calls_as_page_view_with_page_and_campaign_params() throws Exception {
        SafeEvent page = Events.page(now);

        sendAll(connector.prepare(List.of(page)));

        JsonNode params = fake.accepted().get(0).get("params");
        assertThat(fake.accepted().get(0).get("name").asText()).isEqualTo("page_view");
        assertThat(params.get("page_location").asText()).isEqualTo("https://clinic.example.org/book?utm_source=news");
        assertThat(params.get("page_referrer").asText()).isEqualTo("https://search.example.com/");
        assertThat(params.get("page_title").asText()).isEqualTo("Book a visit");
        assertThat(params.get("source").asText()).isEqualTo("newsletter");
        assertThat(params.get("medium").asText()).isEqualTo("email");
        assertThat(params.get("term").asText()).isEqualTo("flu");
        assertThat(params.get("content").asText()).isEqualTo("top");
    }

    @Test
    void the_debug_endpoint_finds_nothing_to_complain_about() throws Exception {
        Ga4Connector debug = connector("/debug/mp/collect");
        OutboundRequest r = debug.prepare(List.of(Events.orderCompleted(now), Events.page(now)))
                .requests()
                .get(0);

        VendorResponse resp = VendorHttp.send(r);

        assertThat(JSON.readTree(resp.body()).get("validationMessages")).isEmpty();
    }

    @Test
    void maps_segment_semantic_events_and_keeps_renamed_names() {
        assertThat(connector.eventName(Events.track("Products Searched", now, Map.of())))
                .isEqualTo("search");
        assertThat(connector.eventName(Events.track("Product Viewed", now, Map.of())))
                .isEqualTo("view_item");
        assertThat(connector.eventName(Events.track("Product Added", now, Map.of())))
                .isEqualTo("add_to_cart");
        assertThat(connector.eventName(Events.track("Checkout Started", now, Map.of())))
                .isEqualTo("begin_checkout");
        assertThat(connector.eventName(Events.track("Form Submitted", now, Map.of())))
                .isEqualTo("generate_lead");
        assertThat(connector.eventName(Events.track("bookAppointment", now, Map.of())))
                .isEqualTo("bookAppointment");
        assertThat(connector.eventName(Events.track("Appointment Booked", now, Map.of())))
                .isEqualTo("appointment_booked");
    }

    @Test
    void sanitizes_property_names_and_the_fake_accepts_them() throws Exception {
        SafeEvent e = Events.track("Appointment Booked", now, Map.of("service line", "cardio", "2nd-visit", true));

        sendAll(connector.prepare(List.of(e)));

        assertThat(fake.violations()).isEmpty();
        JsonNode params = fake.accepted().get(0).get("params");
        assertThat(params.get("service_line").asText()).isEqualTo("cardio");
        assertThat(params.get("e_2nd_visit").asText()).isEqualTo("true");
    }

    @Test
    void truncates_long_text_but_drops_long_ids() throws Exception {
        SafeContext c = Events.fullContext();
        SafeContext longTitle = new SafeContext(
                c.geo(),
                null,
                c.userAgent(),
                null,
                c.pageUrl(),
                c.pagePath(),
                c.referrer(),
                "T".repeat(400),
                Map.of(),
                c.session(),
                c.device(),
                Map.of(),
                Map.of());
        SafeEvent e = Events.withContext(
                Events.track("Signed Up", now, Map.of("note", "n".repeat(150), "plan_id", "p".repeat(150))), longTitle);

        sendAll(connector.prepare(List.of(e)));

        assertThat(fake.violations()).isEmpty();
        JsonNode params = fake.accepted().get(0).get("params");
        assertThat(params.get("page_title").asText()).hasSize(300);
        assertThat(params.get("note").asText()).hasSize(100);
        assertThat(params.has("plan_id")).isFalse();
    }

    @Test
    void rejects_reserved_names_and_events_without_ids() {
        SafeEvent reserved = Events.withId(Events.track("session_start", now, Map.of()), "m-reserved");
        SafeEvent reservedCase = Events.withId(Events.track("User_Engagement", now, Map.of()), "m-case");
        SafeEvent noIds = Events.withId(Events.withIds(Events.track("Signed Up", now, Map.of()), null, null), "m-anon");

        Prepared prepared = connector.prepare(List.of(reserved, reservedCase, noIds));

        assertThat(prepared.requests()).isEmpty();
        assertThat(prepared.rejected()).hasSize(3);
        assertThat(prepared.rejected().get(0).reason()).contains("name").contains("reserved");
        assertThat(prepared.rejected().get(1).reason())
                .as("GA4 compares reserved names without case")
                .contains("reserved");
        assertThat(prepared.rejected().get(2).reason()).contains("client_id: required");
    }

    @Test
    void splits_a_batch_by_client_and_into_requests_of_25_events() throws Exception {
        List<SafeEvent> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(Events.withId(Events.track("Signed Up", now.minusMillis(i), Map.of()), "m" + i));
        }
        batch.add(Events.withIds(
                Events.withId(Events.track("Signed Up", now, Map.of()), "other"),
                null,
                "mOther0000000000000000000000000c"));

        Prepared prepared = connector.prepare(batch);
        sendAll(prepared);

        assertThat(prepared.requests()).extracting(r -> r.messageIds().size()).containsExactly(25, 5, 1);
        assertThat(fake.violations()).isEmpty();
        assertThat(fake.accepted()).hasSize(31);
        assertThat(fake.distinctDedupKeys()).isEqualTo(31);
    }

    @Test
    void ignores_identify_group_and_alias_calls() {
        SafeEvent identify = new SafeEvent(
                "d",
                EventType.IDENTIFY,
                "id-1",
                now,
                null,
                Events.USER,
                null,
                null,
                null,
                Map.of(),
                Map.of("plan", "gold"),
                SafeContext.EMPTY);

        Prepared prepared = connector.prepare(List.of(identify));

        assertThat(prepared.requests()).isEmpty();
        assertThat(prepared.rejected()).isEmpty();
    }

    @Test
    void interprets_statuses() {
        OutboundRequest r =
                connector.prepare(List.of(Events.page(now))).requests().get(0);

        assertThat(connector.interpret(r, new VendorResponse(204, Map.of(), "")))
                .isInstanceOf(Outcome.Delivered.class);
        assertThat(connector.interpret(r, new VendorResponse(429, Map.of("retry-after", List.of("7")), "")))
                .isEqualTo(new Outcome.Retry("ga4: HTTP 429", Duration.ofSeconds(7)));
        assertThat(connector.interpret(r, new VendorResponse(503, Map.of(), "")))
                .isInstanceOf(Outcome.Retry.class);
        assertThat(connector.interpret(r, new VendorResponse(403, Map.of(), "")))
                .isEqualTo(new Outcome.AuthFailed("ga4: HTTP 403"));
        assertThat(connector.interpret(r, new VendorResponse(400, Map.of(), "")))
                .isEqualTo(new Outcome.Failed("ga4: HTTP 400"));
    }

    @Test
    void the_factory_is_found_and_names_missing_settings_without_values() {
        ConnectorFactory factory = ConnectorFactory.loadAll().get("ga4");

        assertThat(factory.descriptor().setting("apiSecret").orElseThrow().secret())
                .isTrue();
        assertThatThrownBy(() -> factory.create("ga4-web", Map.of("measurementId", "G-ABC")))
                .hasMessageContaining("ga4-web")
                .hasMessageContaining("'apiSecret' is required");
        assertThat(Ga4Settings.from("d", Map.of("measurementId", "G-ABC", "apiSecret", "topsecret"))
                        .toString())
                .doesNotContain("topsecret");
        OutboundRequest r = factory.create("d", Map.of("measurementId", "G-ABC", "apiSecret", "topsecret"))
                .prepare(List.of(Events.page(now)))
                .requests()
                .get(0);
        assertThat(r.uri().getHost()).isEqualTo("www.google-analytics.com");
        assertThat(r.toString()).doesNotContain("topsecret");
    }
}

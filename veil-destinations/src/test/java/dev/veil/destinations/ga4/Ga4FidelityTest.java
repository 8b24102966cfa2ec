package dev.veil.destinations.ga4;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.Repair;
import dev.veil.destinations.spi.Skipped;
import dev.veil.destinations.testing.ConnectorHarness;
import dev.veil.destinations.testing.Events;
import dev.veil.destinations.testing.VendorHttp;
import dev.veil.fakes.FakeGa4;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10's GA4 defects, each reproduced against {@link FakeGa4} (which models what GA4 keeps and what it loses
 * without an error) and fixed.
 */
class Ga4FidelityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private FakeGa4 fake;
    private Ga4Connector connector;

    @BeforeEach
    void start() {
        fake = FakeGa4.start("G-FID1", "s3cr3t");
        connector = connector(true, "");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private Ga4Connector connector(boolean clamp, String defaultCurrency) {
        return new Ga4Connector(
                new Ga4Settings(
                        URI.create(fake.baseUrl() + "/mp/collect"), "G-FID1", "s3cr3t", 100, clamp, defaultCurrency),
                Clock.systemUTC());
    }

    private static SafeEvent event(EventType type, String name, Map<String, Object> props, SafeContext context) {
        return new SafeEvent(
                "d",
                type,
                "m-" + name.hashCode(),
                Instant.now(),
                name,
                Events.USER,
                Events.ANON,
                null,
                null,
                props,
                Map.of(),
                context);
    }

    private static SafeEvent track(String name, Map<String, Object> props) {
        return event(EventType.TRACK, name, props, Events.fullContext());
    }

    private static SafeContext withSession(SafeContext.Session session) {
        SafeContext c = Events.fullContext();
        return new SafeContext(
                c.geo(),
                c.ip(),
                c.userAgent(),
                c.rawUserAgent(),
                c.pageUrl(),
                c.pagePath(),
                c.referrer(),
                c.pageTitle(),
                c.campaign(),
                session,
                c.device(),
                c.clickIds(),
                c.consent());
    }

    @Test
    void a_screen_call_reaches_a_web_stream_as_a_custom_event_not_the_app_only_screen_view() {
        ConnectorHarness.deliver(
                fake, connector, event(EventType.SCREEN, "Appointments", Map.of(), Events.fullContext()));

        assertThat(fake.violations()).isEmpty();
        assertThat(fake.incomplete()).isEmpty();
        assertThat(fake.accepted()).singleElement().satisfies(e -> {
            assertThat(e.path("name").asText()).isEqualTo("app_screen_view");
            assertThat(e.at("/params/screen_name").asText()).isEqualTo("Appointments");
        });
    }

    @Test
    void the_sdks_final_engagement_time_arrives_in_a_non_reserved_event() {
        SafeEvent engagement = event(
                EventType.TRACK,
                "User Engagement",
                Map.of(),
                withSession(new SafeContext.Session(1_764_000_000_000L, 2, 41_000L)));

        Prepared prepared = ConnectorHarness.deliver(fake, connector, engagement);

        assertThat(prepared.rejected()).isEmpty();
        assertThat(fake.violations()).isEmpty();
        assertThat(fake.incomplete()).isEmpty();
        assertThat(fake.accepted()).singleElement().satisfies(e -> {
            assertThat(e.path("name").asText()).isEqualTo("page_engagement");
            assertThat(e.at("/params/engagement_time_msec").asLong()).isEqualTo(41_000L);
        });
    }

    @Test
    void an_allowed_session_always_carries_engagement_of_at_least_1_ms_and_the_session_number() {
        SafeEvent page = event(
                EventType.PAGE, "Home", Map.of(), withSession(new SafeContext.Session(1_764_000_000_000L, 7, null)));

        ConnectorHarness.deliver(fake, connector, page);

        assertThat(fake.violations()).isEmpty();
        assertThat(fake.incomplete()).isEmpty();
        JsonNode params = fake.accepted().get(0).path("params");
        assertThat(params.path("session_id").asLong()).isEqualTo(1_764_000_000_000L);
        assertThat(params.path("engagement_time_msec").asLong()).isEqualTo(1);
        assertThat(params.path("session_number").asInt()).isEqualTo(7);
    }

    @Test
    void single_product_events_get_items_from_their_top_level_product_and_a_value_from_the_price() {
        Map<String, Object> product = Map.of(
                "product_id", "vax-1", "name", "Flu shot", "price", 40, "quantity", 2, "currency", "USD", "brand", "B");
        ConnectorHarness.deliver(
                fake,
                connector,
                track("Product Viewed", product),
                track("Product Added", product),
                track("Product Clicked", product),
                track("Product Removed", product));

        assertThat(fake.violations()).isEmpty();
        assertThat(fake.incomplete()).isEmpty();
        assertThat(fake.accepted()).hasSize(4).allSatisfy(e -> {
            JsonNode params = e.path("params");
            assertThat(params.at("/items/0/item_id").asText()).isEqualTo("vax-1");
            assertThat(params.at("/items/0/item_name").asText()).isEqualTo("Flu shot");
            assertThat(params.at("/items/0/item_brand").asText()).isEqualTo("B");
            assertThat(params.path("value").decimalValue()).isEqualByComparingTo("80");
            assertThat(params.path("currency").asText()).isEqualTo("USD");
            assertThat(params.has("product_id"))
                    .as("product fields are not repeated as parameters")
                    .isFalse();
        });
    }

    @Test
    void a_purchase_always_has_a_transaction_id_and_needs_a_currency_with_its_value() {
        SafeEvent noOrderId = track(
                "Order Completed",
                Map.of("total", 50, "currency", "EUR", "products", List.of(Map.of("product_id", "p"))));
        SafeEvent noCurrency = track("Order Completed", Map.of("total", 50, "order_id", "o-2"));

        Prepared prepared = ConnectorHarness.deliver(fake, connector, noOrderId, noCurrency);

        assertThat(fake.violations()).isEmpty();
        assertThat(fake.incomplete()).isEmpty();
        assertThat(fake.accepted()).singleElement().satisfies(e -> {
            assertThat(e.at("/params/transaction_id").asText()).isEqualTo(noOrderId.messageId());
            assertThat(e.at("/params/value").decimalValue()).isEqualByComparingTo("50");
        });
        assertThat(prepared.rejected())
                .singleElement()
                .satisfies(r -> assertThat(r.reason())
                        .startsWith("ga4 params.currency: purchase has a value but no ISO 4217 currency")
                        .contains("defaultCurrency"));

        fake.resetRecords();
        ConnectorHarness.deliver(fake, connector(true, "usd"), noCurrency);
        assertThat(fake.accepted())
                .singleElement()
                .satisfies(e -> assertThat(e.at("/params/currency").asText()).isEqualTo("USD"));
    }

    @Test
    void parameters_ga4_would_refuse_are_dropped_and_counted_while_the_event_is_kept() {
        Map<String, Object> props = new HashMap<>();
        props.put("ga_session_hint", "x");
        props.put("_internal", 1);
        for (int i = 0; i < 40; i++) {
            props.put("field_" + (100 + i), i);
        }
        Prepared prepared = ConnectorHarness.deliver(fake, connector, track("Survey Answered", props));

        assertThat(prepared.rejected()).isEmpty();
        assertThat(fake.violations()).isEmpty();
        assertThat(fake.incomplete()).isEmpty();
        assertThat(fake.dropped()).as("GA4 had nothing left to drop").isEmpty();
        JsonNode params = fake.accepted().get(0).path("params");
        assertThat(params.size()).isEqualTo(25);
        assertThat(params.has("ga_session_hint")).isFalse();
        assertThat(prepared.repairs())
                .extracting(Repair::reason)
                .contains("param_reserved_prefix_dropped", "param_over_limit_dropped")
                .filteredOn("param_reserved_prefix_dropped"::equals)
                .hasSize(2);
    }

    @Test
    void the_client_id_has_gas_form_and_is_derived_from_the_masked_id() {
        SafeEvent a = track("Signed Up", Map.of());
        SafeEvent b = Events.withIds(a, Events.USER, "mOther00000000000000000000000ccc");

        ConnectorHarness.deliver(fake, connector, a, b);

        assertThat(fake.violations()).isEmpty();
        assertThat(fake.incomplete()).isEmpty();
        List<String> ids = fake.requests().stream()
                .map(r -> r.json().orElseThrow().path("client_id").asText())
                .toList();
        assertThat(ids)
                .hasSize(2)
                .allMatch(id -> id.matches("[0-9]+\\.[0-9]{10}"))
                .doesNotHaveDuplicates();
        assertThat(Ga4Mapper.clientId(a)).isEqualTo(ids.get(0)).isEqualTo(Ga4Mapper.clientId(a));
    }

    @Test
    void events_older_than_72_hours_are_clamped_and_counted_or_dead_lettered_when_configured() {
        SafeEvent old = Events.withId(
                new SafeEvent(
                        "d",
                        EventType.TRACK,
                        "old",
                        now.minus(Duration.ofHours(100)),
                        "Signed Up",
                        Events.USER,
                        Events.ANON,
                        null,
                        null,
                        Map.of(),
                        Map.of(),
                        Events.fullContext()),
                "old");

        Prepared clamped = ConnectorHarness.deliver(fake, connector, old);

        assertThat(clamped.repairs()).extracting(Repair::reason).containsExactly("timestamp_clamped_72h");
        assertThat(fake.clamped()).as("nothing left for GA4 to clamp").isEmpty();
        Instant sent = Instant.EPOCH.plus(
                fake.accepted().get(0).path("timestamp_micros").asLong(), ChronoUnit.MICROS);
        assertThat(Duration.between(sent, Instant.now())).isBetween(Duration.ofHours(71), Duration.ofHours(72));

        Prepared refused = connector(false, "").prepare(List.of(old));
        assertThat(refused.requests()).isEmpty();
        assertThat(refused.rejected())
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("100 hours old; GA4 accepts at most 72"));
    }

    @Test
    void identify_and_group_calls_are_skipped_with_a_reason_for_the_accounting() {
        SafeEvent identify = event(EventType.IDENTIFY, "", Map.of(), Events.fullContext());
        SafeEvent group = Events.withId(event(EventType.GROUP, "", Map.of(), Events.fullContext()), "g-1");

        Prepared prepared = connector.prepare(List.of(identify, group));

        assertThat(prepared.requests()).isEmpty();
        assertThat(prepared.skipped())
                .extracting(Skipped::reason)
                .containsExactly("identify_not_sent", "group_not_sent");
    }

    @Test
    void what_the_connector_sends_is_what_ga4_keeps_as_the_debug_endpoint_confirms() throws Exception {
        Ga4Connector debug = new Ga4Connector(
                new Ga4Settings(URI.create(fake.baseUrl() + "/debug/mp/collect"), "G-FID1", "s3cr3t", 100),
                Clock.systemUTC());
        Prepared prepared = debug.prepare(List.of(
                event(EventType.SCREEN, "Home", Map.of(), Events.fullContext()),
                track("User Engagement", Map.of()),
                track("Product Viewed", Map.of("product_id", "p", "price", 3, "currency", "USD")),
                Events.orderCompleted(now)));

        for (OutboundRequest r : prepared.requests()) {
            JsonNode answer = JSON.readTree(VendorHttp.send(r).body());
            assertThat(answer.path("validationMessages")).isEmpty();
        }
    }
}

package dev.veil.destinations.mixpanel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.testing.ConnectorHarness;
import dev.veil.destinations.testing.SegmentSpec;
import dev.veil.fakes.FakeMixpanel;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Segment's semantic events → Mixpanel events, through the connector into {@link FakeMixpanel}. Mixpanel has no
 * standard event names: Segment's own Mixpanel destination (segmentio/action-destinations, {@code mixpanel/trackEvent}
 * and {@code trackPurchase}) sends the Segment event name unchanged with its properties, Order Completed with its
 * {@code revenue}, {@code total}, {@code currency}, {@code coupon} and {@code products} at the top level, as RudderStack's
 * Mixpanel destination does ({@code mp/transform.js}: {@code event: message.event}, properties spread). The table lists,
 * for each spec event, the properties Mixpanel's reports need (revenue and the products for sales, the query for
 * searches); every event must also carry Mixpanel's four required fields.
 */
class MixpanelSemanticEventsTest {

    private FakeMixpanel fake;
    private MixpanelConnector connector;
    private ConnectorHarness harness;

    @BeforeEach
    void start() {
        fake = FakeMixpanel.start("4242", "ptoken", "sa.user", "sa-secret");
        connector = new MixpanelConnector(
                new MixpanelSettings(URI.create(fake.baseUrl()), "", "ptoken", "", ""), Clock.systemUTC());
        harness = new ConnectorHarness(connector, fake, fake::incomplete);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    static Stream<Arguments> mapping() {
        return Stream.of(
                Arguments.of(
                        "Order Completed", List.of("revenue", "total", "currency", "order_id", "coupon", "products")),
                Arguments.of("Order Refunded", List.of("order_id", "total", "currency", "products")),
                Arguments.of("Signed Up", List.of("type")),
                Arguments.of("Products Searched", List.of("query")),
                Arguments.of("Product Viewed", List.of("product_id", "sku", "name", "price", "currency")),
                Arguments.of("Product List Viewed", List.of("list_id", "category", "products")),
                Arguments.of("Product Added", List.of("product_id", "price", "quantity")),
                Arguments.of("Product Removed", List.of("product_id", "price", "quantity")),
                Arguments.of("Product Added to Wishlist", List.of("wishlist_id", "product_id")),
                Arguments.of("Cart Viewed", List.of("cart_id", "products")),
                Arguments.of("Checkout Started", List.of("order_id", "value", "revenue", "currency", "products")),
                Arguments.of("Payment Info Entered", List.of("checkout_id", "payment_method", "products")),
                Arguments.of("Promotion Viewed", List.of("promotion_id", "creative", "name", "position")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mapping")
    void a_segment_semantic_event_reaches_mixpanel_under_its_segment_name_with_its_properties(
            String segment, List<String> properties) {
        SafeEvent event = ConnectorHarness.specEvent(segment, "sem-" + Math.abs(segment.hashCode()));

        JsonNode sent = harness.deliverCleanly(event);
        assertThat(sent.path("event").asText())
                .isEqualTo(connector.eventName(event))
                .isEqualTo(segment);
        JsonNode props = sent.path("properties");
        assertThat(props.properties().stream().map(Map.Entry::getKey))
                .contains("time", "distinct_id", "$insert_id")
                .containsAll(properties);
        SegmentSpec.properties(segment)
                .forEach((k, v) ->
                        assertThat(props.path(k).isMissingNode()).as(k).isFalse());
    }
}

package dev.veil.destinations.ga4;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.destinations.testing.ConnectorHarness;
import dev.veil.fakes.FakeGa4;
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
 * Segment's semantic events (ecommerce v2 spec and the B2B/lifecycle events) → GA4's recommended events, with the
 * parameters GA4's reference publishes for each (developers.google.com/analytics/devguides/collection/protocol/ga4/
 * reference/events: e.g. purchase needs transaction_id, value with currency, items; search needs search_term).
 * Each event goes through the connector into {@link FakeGa4}, which must keep it and find nothing to report.
 */
class Ga4SemanticEventsTest {

    private FakeGa4 fake;
    private ConnectorHarness harness;

    @BeforeEach
    void start() {
        fake = FakeGa4.start("G-SEM1", "s");
        Ga4Connector connector = new Ga4Connector(
                // Segment's Product Added/Removed/Clicked carry a price but no currency: a site sets its currency once.
                new Ga4Settings(URI.create(fake.baseUrl() + "/mp/collect"), "G-SEM1", "s", 100, true, "USD"),
                Clock.systemUTC());
        harness = new ConnectorHarness(connector, fake, fake::incomplete);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    /** Segment event, GA4 event, the parameters GA4's reference requires or recommends for it. */
    static Stream<Arguments> mapping() {
        return Stream.of(
                Arguments.of(
                        "Order Completed",
                        "purchase",
                        List.of("transaction_id", "value", "currency", "items", "tax", "shipping", "coupon")),
                Arguments.of("Order Refunded", "refund", List.of("transaction_id", "value", "currency", "items")),
                Arguments.of("Signed Up", "sign_up", List.of("method")),
                Arguments.of("Signed In", "login", List.of()),
                Arguments.of("Products Searched", "search", List.of("search_term")),
                Arguments.of("Product Viewed", "view_item", List.of("items", "value", "currency")),
                Arguments.of(
                        "Product List Viewed", "view_item_list", List.of("items", "item_list_id", "item_list_name")),
                Arguments.of("Product Clicked", "select_item", List.of("items")),
                Arguments.of("Product Added", "add_to_cart", List.of("items", "value", "currency")),
                Arguments.of("Product Removed", "remove_from_cart", List.of("items", "value", "currency")),
                Arguments.of("Product Added to Wishlist", "add_to_wishlist", List.of("items", "value", "currency")),
                Arguments.of("Cart Viewed", "view_cart", List.of("items")),
                Arguments.of("Checkout Started", "begin_checkout", List.of("items", "value", "currency", "coupon")),
                Arguments.of("Payment Info Entered", "add_payment_info", List.of("items", "payment_type")),
                Arguments.of(
                        "Promotion Viewed",
                        "view_promotion",
                        List.of("promotion_id", "promotion_name", "creative_name", "creative_slot")),
                Arguments.of("Promotion Clicked", "select_promotion", List.of("promotion_id", "promotion_name")),
                Arguments.of("Lead Generated", "generate_lead", List.of("value", "currency")));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("mapping")
    void a_segment_semantic_event_becomes_the_recommended_ga4_event_with_its_parameters(
            String segment, String ga4, List<String> parameters) {
        JsonNode sent = harness.deliverCleanly(ConnectorHarness.specEvent(segment, "sem-" + ga4));

        assertThat(sent.path("name").asText()).isEqualTo(ga4);
        assertThat(sent.path("params").properties().stream().map(Map.Entry::getKey))
                .containsAll(parameters);
    }
}

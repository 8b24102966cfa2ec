package dev.veil.destinations.amplitude;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.destinations.testing.ConnectorHarness;
import dev.veil.fakes.FakeAmplitude;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Segment's semantic events → Amplitude events, through the connector into {@link FakeAmplitude}. Amplitude keeps
 * Segment's event names (Segment's Amplitude destination, segmentio/action-destinations {@code amplitude/logEvent}:
 * {@code event_type} is {@code $.event}); revenue is read from {@code properties.revenue} of Order Completed
 * ({@code amplitude/logPurchase}, default subscription {@code event = "Order Completed"}), refunds are negative revenue
 * (Amplitude HTTP V2, {@code revenue}: "You can use negative values to indicate refunds"). The table gives, for each
 * spec event, the revenue Amplitude's charts must count (none for events that are not the sale) and the event
 * properties that must arrive.
 */
class AmplitudeSemanticEventsTest {

    private FakeAmplitude fake;
    private ConnectorHarness harness;

    @BeforeEach
    void start() {
        fake = FakeAmplitude.start("amp-key");
        AmplitudeConnector connector =
                new AmplitudeConnector(new AmplitudeSettings(URI.create(fake.baseUrl() + "/2/httpapi"), "amp-key", 5));
        harness = new ConnectorHarness(connector, fake, fake::incomplete);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    static Stream<Arguments> mapping() {
        return Stream.of(
                Arguments.of("Order Completed", "25", List.of("order_id", "currency", "products", "total")),
                Arguments.of("Order Refunded", "-30", List.of("order_id", "currency", "products")),
                Arguments.of("Signed Up", "0", List.of("type")),
                Arguments.of("Products Searched", "0", List.of("query")),
                Arguments.of("Product Viewed", "0", List.of("product_id", "name", "price", "currency")),
                Arguments.of("Product List Viewed", "0", List.of("list_id", "products")),
                Arguments.of("Product Added", "0", List.of("product_id", "price", "quantity")),
                Arguments.of("Product Removed", "0", List.of("product_id", "price", "quantity")),
                Arguments.of("Product Added to Wishlist", "0", List.of("wishlist_id", "product_id")),
                Arguments.of("Cart Viewed", "0", List.of("cart_id", "products")),
                Arguments.of("Checkout Started", "0", List.of("order_id", "revenue", "value", "products")),
                Arguments.of("Payment Info Entered", "0", List.of("checkout_id", "payment_method")),
                Arguments.of("Promotion Viewed", "0", List.of("promotion_id", "creative")));
    }

    @ParameterizedTest(name = "{0}: revenue {1}")
    @MethodSource("mapping")
    void a_segment_semantic_event_reaches_amplitude_with_its_revenue_and_properties(
            String segment, String revenue, List<String> properties) {
        JsonNode sent =
                harness.deliverCleanly(ConnectorHarness.specEvent(segment, "sem-" + Math.abs(segment.hashCode())));

        assertThat(sent.path("event_type").asText()).isEqualTo(segment);
        assertThat(sent.properties().stream().map(Map.Entry::getKey))
                .contains("user_id", "device_id", "insert_id", "time");
        assertThat(fake.revenue()).isEqualByComparingTo(new BigDecimal(revenue));
        assertThat(sent.path("event_properties").properties().stream().map(Map.Entry::getKey))
                .containsAll(properties);
    }
}

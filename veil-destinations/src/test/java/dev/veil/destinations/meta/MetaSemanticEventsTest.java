package dev.veil.destinations.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.destinations.testing.ConnectorHarness;
import dev.veil.fakes.FakeMeta;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Segment's semantic events → Meta's standard events with the object properties Meta's reference lists for each
 * (developers.facebook.com/docs/meta-pixel/reference#standard-events: Purchase needs currency and value; ViewContent,
 * AddToCart, AddToWishlist, InitiateCheckout and AddPaymentInfo take content_ids/contents; Search takes
 * search_string), through the connector into {@link FakeMeta}.
 */
class MetaSemanticEventsTest {

    private FakeMeta fake;
    private ConnectorHarness harness;

    @BeforeEach
    void start() {
        fake = FakeMeta.start("1234567890", "EAAtoken");
        Connector connector = ConnectorFactory.loadAll()
                .get("meta")
                .create(
                        "meta-1",
                        Map.of("pixelId", "1234567890", "accessToken", "EAAtoken", "endpoint", fake.baseUrl()));
        harness = new ConnectorHarness(connector, fake, fake::incomplete);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    static Stream<Arguments> mapping() {
        return Stream.of(
                Arguments.of(
                        "Order Completed",
                        "Purchase",
                        List.of(
                                "value",
                                "currency",
                                "content_ids",
                                "contents",
                                "content_type",
                                "num_items",
                                "order_id")),
                Arguments.of("Signed Up", "CompleteRegistration", List.of()),
                Arguments.of("Products Searched", "Search", List.of("search_string")),
                Arguments.of(
                        "Product Viewed",
                        "ViewContent",
                        List.of("content_ids", "contents", "content_type", "value", "currency")),
                Arguments.of("Product List Viewed", "ViewContent", List.of("content_ids", "contents", "content_type")),
                Arguments.of("Product Added", "AddToCart", List.of("content_ids", "contents", "content_type", "value")),
                Arguments.of("Product Added to Wishlist", "AddToWishlist", List.of("content_ids", "contents")),
                Arguments.of(
                        "Checkout Started",
                        "InitiateCheckout",
                        List.of("content_ids", "contents", "value", "currency", "num_items")),
                Arguments.of("Payment Info Entered", "AddPaymentInfo", List.of("content_ids", "contents")),
                Arguments.of("Lead Generated", "Lead", List.of("value", "currency")));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("mapping")
    void a_segment_semantic_event_becomes_metas_standard_event_with_its_properties(
            String segment, String meta, List<String> properties) {
        JsonNode sent = harness.deliverCleanly(ConnectorHarness.specEvent(segment, "sem-" + meta));

        assertThat(sent.path("event_name").asText()).isEqualTo(meta);
        assertThat(sent.path("custom_data").properties().stream().map(Map.Entry::getKey))
                .containsAll(properties);
    }
}

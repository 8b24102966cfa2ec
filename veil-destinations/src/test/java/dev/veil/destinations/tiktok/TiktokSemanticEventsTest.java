package dev.veil.destinations.tiktok;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.destinations.testing.ConnectorHarness;
import dev.veil.fakes.FakeTiktok;
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
 * Segment's semantic events → TikTok's standard events, as Segment's own TikTok Conversions destination maps them
 * (segmentio/action-destinations tiktok-conversions presets: Order Completed → CompletePayment with the products as
 * contents, Product Viewed → ViewContent with the product as contents, Products Searched → Search, …) with the
 * properties TikTok's Events API 2.0 reads (contents, content_type, value, currency, search_string).
 */
class TiktokSemanticEventsTest {

    private FakeTiktok fake;
    private ConnectorHarness harness;

    @BeforeEach
    void start() {
        fake = FakeTiktok.start("CPIXEL123", "tt-token");
        TiktokConnector connector = new TiktokConnector(
                new TiktokSettings(URI.create(fake.baseUrl()), "CPIXEL123", "tt-token", "", 1000, false, 7),
                Clock.systemUTC());
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
                        "CompletePayment",
                        List.of("contents", "content_type", "value", "currency", "order_id")),
                Arguments.of("Signed Up", "CompleteRegistration", List.of()),
                Arguments.of("Products Searched", "Search", List.of("search_string")),
                Arguments.of("Product Viewed", "ViewContent", List.of("contents", "content_type", "value", "currency")),
                Arguments.of("Product Clicked", "ClickButton", List.of("contents", "content_type")),
                Arguments.of("Product Added", "AddToCart", List.of("contents", "content_type", "value")),
                Arguments.of("Product Added to Wishlist", "AddToWishlist", List.of("contents", "content_type")),
                Arguments.of("Checkout Started", "InitiateCheckout", List.of("contents", "value", "currency")),
                Arguments.of("Payment Info Entered", "AddPaymentInfo", List.of("contents")),
                Arguments.of("Form Submitted", "SubmitForm", List.of()),
                Arguments.of("Lead Generated", "SubmitForm", List.of("value", "currency")));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("mapping")
    void a_segment_semantic_event_becomes_tiktoks_standard_event_with_its_properties(
            String segment, String tiktok, List<String> properties) {
        JsonNode sent = harness.deliverCleanly(ConnectorHarness.specEvent(segment, "sem-" + tiktok));

        assertThat(sent.path("event").asText()).isEqualTo(tiktok);
        assertThat(sent.path("properties").properties().stream().map(Map.Entry::getKey))
                .containsAll(properties);
    }
}

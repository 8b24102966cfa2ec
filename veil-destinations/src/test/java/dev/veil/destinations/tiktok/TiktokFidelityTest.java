package dev.veil.destinations.tiktok;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Skipped;
import dev.veil.destinations.spi.VendorResponse;
import dev.veil.destinations.testing.ConnectorHarness;
import dev.veil.destinations.testing.Events;
import dev.veil.fakes.FakeTiktok;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 10's TikTok defects, each reproduced against {@link FakeTiktok} and fixed. */
class TiktokFidelityTest {

    private FakeTiktok fake;
    private TiktokConnector connector;
    private ConnectorHarness harness;

    @BeforeEach
    void start() {
        fake = FakeTiktok.start("CPIXEL123", "tt-token");
        connector = new TiktokConnector(
                new TiktokSettings(URI.create(fake.baseUrl()), "CPIXEL123", "tt-token", "", 1000, false, 7),
                Clock.systemUTC());
        harness = new ConnectorHarness(connector, fake, fake::incomplete);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private static SafeEvent track(String name, Map<String, Object> props) {
        return new SafeEvent(
                "d",
                EventType.TRACK,
                "m-" + Math.abs(name.hashCode()),
                Instant.now(),
                name,
                Events.USER,
                Events.ANON,
                null,
                null,
                props,
                Map.of(),
                Events.fullContext());
    }

    @Test
    void code_20001_is_a_partial_success_and_only_the_refused_events_are_isolated() {
        OutboundRequest r = connector
                .prepare(List.of(track("Signed Up", Map.of()), Events.page(Instant.now())))
                .requests()
                .getFirst();

        Outcome outcome = connector.interpret(
                r, new VendorResponse(200, Map.of(), "{\"code\":20001,\"message\":\"Partial success\",\"data\":{}}"));

        assertThat(outcome)
                .as("the events TikTok kept are deduplicated on event + event_id when the halves are sent again")
                .isEqualTo(new Outcome.Split("tiktok: code 20001 (partial success)"));
    }

    @Test
    void a_search_sends_its_text_as_search_string() {
        harness.deliver(track("Products Searched", Map.of("query", "flu shot near me")));

        assertThat(fake.incomplete()).isEmpty();
        JsonNode props = fake.accepted().getFirst().path("properties");
        assertThat(props.path("search_string").asText()).isEqualTo("flu shot near me");
        assertThat(props.has("query")).isFalse();
    }

    @Test
    void single_product_events_get_contents_from_their_top_level_product() {
        Map<String, Object> product = Map.of(
                "product_id",
                "vax-1",
                "name",
                "Flu shot",
                "category",
                "Vaccines",
                "price",
                40,
                "quantity",
                2,
                "currency",
                "USD");

        harness.deliver(
                track("Product Viewed", product), track("Product Added", product), track("Product Clicked", product));

        assertThat(fake.violations()).isEmpty();
        assertThat(fake.incomplete()).isEmpty();
        assertThat(fake.accepted()).hasSize(3).allSatisfy(e -> {
            JsonNode props = e.path("properties");
            assertThat(props.at("/contents/0/content_id").asText()).isEqualTo("vax-1");
            assertThat(props.at("/contents/0/content_name").asText()).isEqualTo("Flu shot");
            assertThat(props.at("/contents/0/quantity").asInt()).isEqualTo(2);
            assertThat(props.path("content_type").asText()).isEqualTo("product");
            assertThat(props.path("value").decimalValue()).isEqualByComparingTo("80");
            assertThat(props.has("product_id")).isFalse();
        });
    }

    @Test
    void a_ttclid_is_sent_whatever_its_prefix() {
        SafeContext c = Events.fullContext();
        SafeContext other = new SafeContext(
                c.geo(),
                c.ip(),
                c.userAgent(),
                c.rawUserAgent(),
                c.pageUrl(),
                c.pagePath(),
                c.referrer(),
                c.pageTitle(),
                c.campaign(),
                c.session(),
                c.device(),
                Map.of("ttclid", "Qx12_lk-a9"),
                c.consent());
        SafeEvent e = Events.withContext(track("Signed Up", Map.of()), other);

        harness.deliver(e);

        assertThat(fake.accepted().getFirst().at("/user/ttclid").asText()).isEqualTo("Qx12_lk-a9");
    }

    @Test
    void a_refused_token_pauses_and_invalid_parameters_are_isolated() {
        OutboundRequest r = connector
                .prepare(List.of(track("Signed Up", Map.of())))
                .requests()
                .getFirst();

        assertThat(connector.interpret(r, new VendorResponse(200, Map.of(), "{\"code\":40105}")))
                .isEqualTo(new Outcome.AuthFailed("tiktok: code 40105 (access token refused)"));
        assertThat(connector.interpret(r, new VendorResponse(200, Map.of(), "{\"code\":40001}")))
                .isInstanceOf(Outcome.AuthFailed.class);
        assertThat(connector.interpret(r, new VendorResponse(200, Map.of(), "{\"code\":40002}")))
                .isEqualTo(new Outcome.Split("tiktok: code 40002 (invalid parameters)"));
    }

    @Test
    void identify_calls_are_skipped_with_a_reason() {
        SafeEvent identify = Events.identify("i-1", Instant.now(), Map.of());

        assertThat(connector.prepare(List.of(identify)).skipped())
                .extracting(Skipped::reason)
                .containsExactly("identify_not_sent");
    }
}

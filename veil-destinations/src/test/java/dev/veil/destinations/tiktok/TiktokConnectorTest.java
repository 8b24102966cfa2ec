package dev.veil.destinations.tiktok;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.internal.Hashing;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.VendorResponse;
import dev.veil.destinations.testing.Events;
import dev.veil.destinations.testing.Leaks;
import dev.veil.destinations.testing.VendorHttp;
import dev.veil.fakes.FakeTiktok;
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

class TiktokConnectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private FakeTiktok fake;
    private TiktokConnector connector;

    @BeforeEach
    void start() {
        fake = FakeTiktok.start("CPIXEL123", "tt-token");
        connector = connector("tt-token");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private TiktokConnector connector(String token) {
        return new TiktokConnector(
                new TiktokSettings(URI.create(fake.baseUrl()), "CPIXEL123", token, "", 1000, false, 7),
                Clock.systemUTC());
    }

    @Test
    void sends_order_completed_as_complete_payment_with_hashed_external_ids() throws Exception {
        SafeEvent order = Events.orderCompleted(now);

        OutboundRequest r = connector.prepare(List.of(order)).requests().get(0);
        VendorResponse response = VendorHttp.send(r);

        assertThat(connector.interpret(r, response)).isEqualTo(new Outcome.Delivered());
        assertThat(fake.violations()).isEmpty();
        assertThat(r.headers()).containsEntry("Access-Token", "tt-token");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("event_source").asText()).isEqualTo("web");
        assertThat(body.get("event_source_id").asText()).isEqualTo("CPIXEL123");
        JsonNode event = fake.accepted().get(0);
        assertThat(event.get("event").asText()).isEqualTo("CompletePayment");
        assertThat(event.get("event_id").asText()).isEqualTo(order.messageId());
        assertThat(event.get("event_time").asLong()).isEqualTo(now.getEpochSecond());
        String userHash = Hashing.sha256Hex(Events.USER);
        String anonHash = Hashing.sha256Hex(Events.ANON);
        assertThat(event.get("user"))
                .isEqualTo(JSON.readTree("{\"external_id\":[\"" + userHash + "\",\"" + anonHash + "\"],"
                        + "\"ttclid\":\"E.C.P.abc123\",\"user_agent\":\""
                        + order.context().rawUserAgent()
                        + "\",\"locale\":\"en-US\"}"));
        assertThat(event.get("page"))
                .isEqualTo(JSON.readTree("{\"url\":\"" + order.context().pageUrl() + "\",\"referrer\":\""
                        + order.context().referrer() + "\"}"));
        assertThat(event.get("properties").get("value").decimalValue()).isEqualByComparingTo("129.5");
        assertThat(event.get("properties")
                        .get("contents")
                        .get(0)
                        .get("content_id")
                        .asText())
                .isEqualTo("sku-7");
        assertThat(Leaks.foreignValues(
                        body,
                        List.of(order),
                        List.of(
                                "web",
                                "CPIXEL123",
                                "CompletePayment",
                                "USD",
                                "product",
                                userHash,
                                anonHash,
                                Long.toString(now.getEpochSecond()))))
                .isEmpty();
    }

    @Test
    void maps_semantic_events() {
        assertThat(connector.eventName(Events.track("Signed Up", now, Map.of())))
                .isEqualTo("CompleteRegistration");
        assertThat(connector.eventName(Events.track("Products Searched", now, Map.of())))
                .isEqualTo("Search");
        assertThat(connector.eventName(Events.track("Product Added", now, Map.of())))
                .isEqualTo("AddToCart");
        assertThat(connector.eventName(Events.track("Checkout Started", now, Map.of())))
                .isEqualTo("InitiateCheckout");
        assertThat(connector.eventName(Events.page(now))).isEqualTo("Pageview");
    }

    @Test
    void passes_any_ttclid_and_rejects_events_without_any_matching_key() throws Exception {
        SafeContext badClick = new SafeContext(
                null,
                null,
                null,
                "UA/1",
                null,
                null,
                null,
                null,
                Map.of(),
                null,
                null,
                Map.of("ttclid", "not-a-ttclid"),
                Map.of());
        SafeEvent a = Events.withContext(Events.withId(Events.track("Signed Up", now, Map.of()), "a"), badClick);
        SafeEvent b = Events.withIds(
                Events.withContext(Events.withId(Events.track("Signed Up", now, Map.of()), "b"), SafeContext.EMPTY),
                null,
                null);

        Prepared prepared = connector.prepare(List.of(a, b));
        VendorHttp.send(prepared.requests().get(0));

        assertThat(fake.violations()).isEmpty();
        assertThat(fake.accepted().get(0).at("/user/ttclid").asText()).isEqualTo("not-a-ttclid");
        assertThat(prepared.rejected())
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("user: needs at least one matching key"));
    }

    @Test
    void an_error_code_inside_http_200_is_read_and_the_rate_limit_code_retries() {
        OutboundRequest r =
                connector("wrong").prepare(List.of(Events.page(now))).requests().get(0);

        assertThat(connector.interpret(r, VendorHttp.send(r)))
                .isEqualTo(new Outcome.AuthFailed("tiktok: code 40105 (access token refused)"));
        assertThat(connector.interpret(r, new VendorResponse(200, Map.of(), "{\"code\":40999}")))
                .isEqualTo(new Outcome.Failed("tiktok: HTTP 200 code 40999"));

        fake.faults().failNext(1, Fault.respond(200, "{\"code\":40100,\"message\":\"Too many requests\"}"));
        OutboundRequest good =
                connector.prepare(List.of(Events.page(now))).requests().get(0);
        assertThat(connector.interpret(good, VendorHttp.send(good))).isInstanceOf(Outcome.Retry.class);
        assertThat(connector.interpret(good, new VendorResponse(503, Map.of("retry-after", List.of("3")), "")))
                .isEqualTo(new Outcome.Retry("tiktok: HTTP 503", Duration.ofSeconds(3)));
        assertThat(connector.interpret(good, new VendorResponse(401, Map.of(), "{\"code\":40001}")))
                .isEqualTo(new Outcome.AuthFailed("tiktok: HTTP 401 code 40001"));
    }

    @Test
    void rejects_events_older_than_the_configured_window() {
        SafeEvent old = Events.withId(Events.track("Signed Up", now.minus(Duration.ofDays(8)), Map.of()), "old");

        Prepared prepared = connector.prepare(List.of(old));

        assertThat(prepared.requests()).isEmpty();
        assertThat(prepared.rejected())
                .singleElement()
                .satisfies(
                        r -> assertThat(r.reason())
                                .isEqualTo(
                                        "tiktok event_time: event is 8 days old; this destination sends events up to 7 days old"));
    }

    @Test
    void the_factory_marks_the_token_secret() {
        ConnectorFactory factory = ConnectorFactory.loadAll().get("tiktok");

        assertThat(factory.descriptor().setting("accessToken").orElseThrow().secret())
                .isTrue();
        assertThat(factory.create("t", Map.of("pixelCode", "C1", "accessToken", "x"))
                        .limits()
                        .maxEvents())
                .isEqualTo(1000);
    }
}

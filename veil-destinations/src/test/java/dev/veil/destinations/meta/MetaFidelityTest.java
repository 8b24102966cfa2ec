package dev.veil.destinations.meta;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.Skipped;
import dev.veil.destinations.spi.VendorResponse;
import dev.veil.destinations.testing.ConnectorHarness;
import dev.veil.destinations.testing.Events;
import dev.veil.destinations.testing.VendorHttp;
import dev.veil.fakes.FakeMeta;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 10's Meta defects, each reproduced against {@link FakeMeta} (rules from Meta's docs) and fixed. */
class MetaFidelityTest {

    private FakeMeta fake;

    @BeforeEach
    void start() {
        fake = FakeMeta.start("1234567890", "EAAtoken");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    /** A connector as the factory builds it from a policy: defaults for everything not given. */
    private Connector connector(Map<String, String> extra) {
        Map<String, String> settings =
                new HashMap<>(Map.of("pixelId", "1234567890", "accessToken", "EAAtoken", "endpoint", fake.baseUrl()));
        settings.putAll(extra);
        return ConnectorFactory.loadAll().get("meta").create("meta-1", settings);
    }

    private static SafeEvent track(String name, Map<String, Object> props, SafeContext context) {
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
                context);
    }

    private static SafeContext context(Map<String, String> clickIds, SafeContext.Geo geo) {
        SafeContext c = Events.fullContext();
        return new SafeContext(
                geo,
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
                clickIds,
                c.consent());
    }

    @Test
    void the_default_graph_api_version_is_one_meta_still_serves() {
        ConnectorHarness.deliver(fake, connector(Map.of()), track("Signed Up", Map.of(), Events.fullContext()));

        assertThat(fake.violations()).isEmpty();
        assertThat(fake.requests().getFirst().path()).startsWith("/" + MetaSettings.DEFAULT_VERSION + "/");
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void five_part_fbp_and_fbc_from_metas_parameter_builder_are_sent() {
        Map<String, String> clickIds = Map.of(
                "fbc", "fb.1.1764000000000.IwAR2F4-dbP0l7Mn1Iaw.Bg", "fbp", "fb.1.1764000000000.1098115397.AQYCAQAA");

        ConnectorHarness.deliver(fake, connector(Map.of()), track("Signed Up", Map.of(), context(clickIds, null)));

        JsonNode user = fake.accepted().getFirst().path("user_data");
        assertThat(user.path("fbc").asText()).isEqualTo("fb.1.1764000000000.IwAR2F4-dbP0l7Mn1Iaw.Bg");
        assertThat(user.path("fbp").asText()).isEqualTo("fb.1.1764000000000.1098115397.AQYCAQAA");
    }

    @Test
    void a_purchase_needs_an_iso_4217_currency_and_a_value() {
        Prepared prepared = connector(Map.of())
                .prepare(List.of(
                        Events.withId(
                                track(
                                        "Order Completed",
                                        Map.of("revenue", 10, "currency", "ABC"),
                                        Events.fullContext()),
                                "bad-currency"),
                        Events.withId(
                                track("Order Completed", Map.of("currency", "USD"), Events.fullContext()),
                                "no-value")));

        assertThat(prepared.requests()).isEmpty();
        assertThat(prepared.rejected())
                .extracting(r -> r.messageId() + ": " + r.reason())
                .containsExactly(
                        "bad-currency: meta custom_data.currency: Purchase needs an ISO 4217 currency; allow the"
                                + " currency property or set the destination's defaultCurrency",
                        "no-value: meta custom_data.value: Purchase needs a value (revenue, value or total)");

        ConnectorHarness.deliver(
                fake,
                connector(Map.of("defaultCurrency", "EUR")),
                track("Order Completed", Map.of("revenue", 10), Events.fullContext()));
        assertThat(fake.accepted().getFirst().at("/custom_data/currency").asText())
                .isEqualTo("EUR");
    }

    @Test
    void single_product_events_carry_content_ids_and_contents() {
        Map<String, Object> product = Map.of("product_id", "vax-1", "price", 40, "quantity", 2, "currency", "USD");

        ConnectorHarness.deliver(
                fake,
                connector(Map.of()),
                track("Product Viewed", product, Events.fullContext()),
                track("Product Added", product, Events.fullContext()));

        assertThat(fake.incomplete()).isEmpty();
        assertThat(fake.accepted()).hasSize(2).allSatisfy(e -> {
            JsonNode custom = e.path("custom_data");
            assertThat(custom.at("/content_ids/0").asText()).isEqualTo("vax-1");
            assertThat(custom.at("/contents/0/id").asText()).isEqualTo("vax-1");
            assertThat(custom.at("/contents/0/quantity").asInt()).isEqualTo(2);
            assertThat(custom.at("/contents/0/item_price").decimalValue()).isEqualByComparingTo("40");
            assertThat(custom.path("content_type").asText()).isEqualTo("product");
            assertThat(custom.path("value").decimalValue()).isEqualByComparingTo("80");
            assertThat(custom.has("product_id"))
                    .as("product fields are not repeated")
                    .isFalse();
        });
    }

    @Test
    void limited_data_use_sends_the_state_from_veils_geo_so_meta_need_not_geolocate_the_server() {
        Connector ldu = connector(Map.of("limitedDataUse", "true"));

        ConnectorHarness.deliver(
                fake,
                ldu,
                Events.withId(track("Lead", Map.of(), context(Map.of(), new SafeContext.Geo("US", "CA"))), "ca"),
                Events.withId(track("Lead", Map.of(), context(Map.of(), new SafeContext.Geo("US", "CO"))), "co"),
                Events.withId(track("Lead", Map.of(), context(Map.of(), new SafeContext.Geo("US", "TX"))), "tx"),
                Events.withId(track("Lead", Map.of(), context(Map.of(), new SafeContext.Geo("DE", "BE"))), "de"));

        assertThat(fake.violations()).isEmpty();
        assertThat(fake.ldu())
                .containsExactly(
                        "US-CA",
                        "US-CO",
                        "US, state geolocated from the sender's address",
                        "location geolocated from the sender's address");
        assertThat(fake.accepted())
                .extracting(e -> e.path("data_processing_options_country").asInt() + "/"
                        + e.path("data_processing_options_state").asInt())
                .containsExactly("1/1000", "1/1001", "1/0", "0/0");
    }

    @Test
    void meta_answers_are_read_as_rudderstack_reads_them() {
        Connector c = connector(Map.of());
        OutboundRequest r = c.prepare(List.of(track("Lead", Map.of(), Events.fullContext())))
                .requests()
                .getFirst();

        for (int transientCode : List.of(1, 2, 4, 17, 32, 341, 368, 613, 5000, 21009, 80003, 80004)) {
            assertThat(c.interpret(r, error(400, transientCode, 0)))
                    .as("code %d", transientCode)
                    .isInstanceOf(Outcome.Retry.class);
        }
        assertThat(c.interpret(r, error(400, 190, 460))).isInstanceOf(Outcome.AuthFailed.class);
        assertThat(c.interpret(r, error(400, 2635, 0))).isInstanceOf(Outcome.AuthFailed.class);
        assertThat(c.interpret(r, error(400, 100, 33))).isInstanceOf(Outcome.AuthFailed.class);
        assertThat(c.interpret(r, error(400, 100, 2804019)))
                .isEqualTo(new Outcome.Split("meta: HTTP 400 error code 100 subcode 2804019 (OAuthException)"));
    }

    @Test
    void a_wrong_token_pauses_instead_of_dead_lettering() {
        Connector wrong = connector(Map.of("accessToken", "revoked"));
        OutboundRequest r = wrong.prepare(List.of(track("Lead", Map.of(), Events.fullContext())))
                .requests()
                .getFirst();

        assertThat(wrong.interpret(r, VendorHttp.send(r)))
                .isEqualTo(new Outcome.AuthFailed("meta: HTTP 400 error code 190 (OAuthException)"));
    }

    @Test
    void identify_calls_are_skipped_with_a_reason() {
        SafeEvent identify = Events.identify("i-1", Instant.now(), Map.of("plan", "x"));

        assertThat(connector(Map.of()).prepare(List.of(identify)).skipped())
                .extracting(Skipped::reason)
                .containsExactly("identify_not_sent");
    }

    private static VendorResponse error(int status, int code, int subcode) {
        String sub = subcode == 0 ? "" : ",\"error_subcode\":" + subcode;
        return new VendorResponse(
                status,
                Map.of(),
                "{\"error\":{\"message\":\"x\",\"type\":\"OAuthException\",\"code\":" + code + sub
                        + ",\"fbtrace_id\":\"A\"}}");
    }
}

package dev.veil.destinations.mixpanel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.VendorResponse;
import dev.veil.destinations.testing.ConnectorHarness;
import dev.veil.destinations.testing.Events;
import dev.veil.fakes.FakeMixpanel;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 10's Mixpanel defects, each reproduced against {@link FakeMixpanel} and fixed. */
class MixpanelFidelityTest {

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
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

    private static SafeContext geo(SafeContext.Geo geo) {
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
                c.clickIds(),
                c.consent());
    }

    @Test
    void events_are_located_from_veils_geo_and_never_at_the_senders_address() {
        SafeEvent located = Events.track("Signed Up", now, Map.of());
        SafeEvent noGeo = Events.withContext(Events.withId(located, "no-geo"), geo(null));
        SafeEvent abroad = Events.withContext(Events.withId(located, "abroad"), geo(new SafeContext.Geo("FR", "IDF")));

        harness.deliverValid(located, noGeo, abroad);

        assertThat(fake.incomplete())
                .as("nothing taken from the request's address, no region code")
                .isEmpty();
        JsonNode props = fake.accepted().getFirst().path("properties");
        assertThat(props.path("mp_country_code").asText()).isEqualTo("US");
        assertThat(props.path("$region").asText()).isEqualTo("California");
        assertThat(props.has("$city"))
                .as("Veil's geo is state level; it never has a city")
                .isFalse();
        assertThat(props.has("ip")).isFalse();
        assertThat(fake.accepted().get(2).path("properties").has("$region"))
                .as("no region name known for this code: left out rather than sent as a code")
                .isFalse();
    }

    @Test
    void anonymous_events_join_the_user_through_the_simplified_id_merge() {
        SafeEvent anonymous = Events.withIds(Events.withId(Events.page(now), "anon-page"), null, Events.ANON);
        SafeEvent identified = Events.track("Signed Up", now, Map.of());

        harness.deliverValid(anonymous, identified);

        assertThat(fake.incomplete()).isEmpty();
        assertThat(fake.accepted().getFirst().at("/properties/distinct_id").asText())
                .isEqualTo("$device:" + Events.ANON);
        assertThat(fake.users()).containsExactly(Events.USER);
    }

    @Test
    void identify_sets_the_allowed_traits_on_the_profile() {
        SafeEvent identify = Events.identify("identify-1", now, Map.of("plan", "basic", "visits", 3));

        Prepared prepared = harness.deliverValid(identify);

        assertThat(prepared.skipped()).isEmpty();
        assertThat(fake.incomplete()).isEmpty();
        JsonNode profile = fake.profiles().get(Events.USER);
        assertThat(profile.path("plan").asText()).isEqualTo("basic");
        assertThat(profile.path("visits").asInt()).isEqualTo(3);
        assertThat(profile.path("$country_code").asText()).isEqualTo("US");
        assertThat(profile.path("$region").asText()).isEqualTo("California");
    }

    @Test
    void a_413_splits_the_request_and_refused_credentials_pause_the_destination() {
        OutboundRequest r = connector
                .prepare(List.of(Events.page(now), Events.track("Signed Up", now, Map.of())))
                .requests()
                .getFirst();

        assertThat(connector.interpret(r, new VendorResponse(413, Map.of(), "")))
                .isEqualTo(new Outcome.Split("mixpanel: HTTP 413 payload too large"));
        assertThat(connector.interpret(r, new VendorResponse(401, Map.of(), "")))
                .isEqualTo(new Outcome.AuthFailed("mixpanel: HTTP 401"));
        assertThat(connector.interpret(r, new VendorResponse(403, Map.of(), "")))
                .isEqualTo(new Outcome.AuthFailed("mixpanel: HTTP 403"));
    }

    @Test
    void a_retry_after_an_answer_lost_in_transit_counts_each_event_once_thanks_to_insert_id() {
        List<SafeEvent> batch =
                List.of(Events.page(now), Events.track("Signed Up", now, Map.of()), Events.orderCompleted(now));

        // The engine retries a request it got no answer to; a retry is the same request (same $insert_ids).
        harness.deliverRetryingALostAnswer(batch);

        assertThat(fake.accepted()).as("Mixpanel received every event twice").hasSize(6);
        assertThat(fake.distinctDedupKeys()).as("and counts each once").isEqualTo(3);
    }
}

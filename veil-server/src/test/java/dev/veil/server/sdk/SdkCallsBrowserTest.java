package dev.veil.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SDK loaded by its snippet in Chromium: API calls, identity, page context and SPA page views. */
class SdkCallsBrowserTest extends BrowserTestSupport {

    @Test
    void each_call_returns_the_message_id_of_its_event() {
        server.options(Map.of("autoPage", false));
        page.navigate(server.url("/site/ids"));
        page.waitForFunction("() => window.veil && window.veil.loaded === true");

        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) page.evaluate("() => [veil.page('Pricing'), veil.track('Lead'),"
                + " veil.identify('user-3'), veil.group('clinic-3'), veil.alias('user-4')]");
        // Through veil.ready, as a page does with calls made before the SDK loaded.
        String fromReady =
                (String) page.evaluate("() => new Promise(r => veil.ready(v => r(v.track('Purchase', {value: 10}))))");

        assertThat(ids).hasSize(5).allSatisfy(id -> assertThat(id).matches("[0-9a-f-]{36}"));
        List<JsonNode> events = awaitEvents(es -> es.size() == 6);
        assertThat(events)
                .extracting(e -> e.path("messageId").asText())
                .containsExactly(ids.get(0), ids.get(1), ids.get(2), ids.get(3), ids.get(4), fromReady);
        assertThat(page.evaluate("() => veil.track()")).as("an ignored call").isNull();
    }

    @Test
    void api_calls_arrive_at_the_ingest_api_as_segment_events() {
        page.navigate(server.url("/site/home"));
        JsonNode landing = awaitEvent("page", "/site/home");

        call("veil.page('Pricing', {section: 'plans'})");
        call("veil.page('Docs', 'Intro', {version: 2})");
        call("veil.track('Signed Up', {plan: 'pro'})");
        call("veil.identify('user-1', {plan: 'pro'})");
        call("veil.group('clinic-9', {size: 12})");
        call("veil.alias('user-2')");
        call("veil.track('Aliased')");
        call("veil.reset()");
        call("veil.track('After Reset')");
        List<JsonNode> events = awaitEvents(es -> es.stream().anyMatch(e -> matches(e, "track", "After Reset")));

        String anonymousId = landing.path("anonymousId").asText();
        assertThat(anonymousId).matches("[0-9a-f-]{36}");
        assertThat(events)
                .extracting(e -> e.path("type").asText())
                .containsExactly("page", "page", "page", "track", "identify", "group", "alias", "track", "track");
        JsonNode pricing = events.get(1);
        assertThat(pricing.path("name").asText()).isEqualTo("Pricing");
        assertThat(pricing.at("/properties/section").asText()).isEqualTo("plans");
        JsonNode docs = events.get(2);
        assertThat(docs.path("category").asText()).isEqualTo("Docs");
        assertThat(docs.path("name").asText()).isEqualTo("Intro");
        assertThat(docs.at("/properties/version").asInt()).isEqualTo(2);
        JsonNode signedUp = events.get(3);
        assertThat(signedUp.at("/properties/plan").asText()).isEqualTo("pro");
        assertThat(signedUp.has("userId")).isFalse();
        JsonNode identify = events.get(4);
        assertThat(identify.path("userId").asText()).isEqualTo("user-1");
        assertThat(identify.at("/traits/plan").asText()).isEqualTo("pro");
        assertThat(identify.path("anonymousId").asText()).isEqualTo(anonymousId);
        JsonNode group = events.get(5);
        assertThat(group.path("groupId").asText()).isEqualTo("clinic-9");
        assertThat(group.at("/traits/size").asInt()).isEqualTo(12);
        JsonNode alias = events.get(6);
        assertThat(alias.path("previousId").asText()).isEqualTo("user-1");
        assertThat(alias.path("userId").asText()).isEqualTo("user-2");
        assertThat(events.get(7).path("userId").asText()).isEqualTo("user-2");
        JsonNode afterReset = events.get(8);
        assertThat(afterReset.has("userId")).isFalse();
        assertThat(afterReset.path("anonymousId").asText())
                .isNotEqualTo(anonymousId)
                .matches("[0-9a-f-]{36}");

        assertThat(events).extracting(e -> e.path("messageId").asText()).doesNotHaveDuplicates();
        assertThat(events).allSatisfy(e -> {
            assertThat(e.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(e.at("/context/library/name").asText()).isEqualTo("veil-sdk-js");
        });
        // The write key travels in the body (no Authorization header) of a text/plain request: no preflight.
        assertThat(server.batches()).isNotEmpty().allSatisfy(b -> {
            assertThat(b.authorizationHeader()).isFalse();
            assertThat(b.contentType()).startsWith("text/plain");
        });
        assertThat(server.duplicatesReceived()).isZero();
        // Stored by the real ingest API: attributed to the source, with the request's IP and user agent,
        // and without the write key (a credential is never stored with an event).
        assertThat(server.rawEvents()).hasSize(events.size()).allSatisfy(raw -> {
            assertThat(raw.sourceId()).isEqualTo("website");
            assertThat(raw.clientIp()).isEqualTo("127.0.0.1");
            assertThat(raw.userAgent()).isNotBlank();
            assertThat(raw.message().has("writeKey")).isFalse();
        });
    }

    @Test
    void events_carry_page_locale_screen_timezone_and_session_context() {
        page.navigate(server.url("/site/care/find?q=1#top"));
        JsonNode e = awaitEvent("page", "/site/care/find");

        JsonNode ctx = e.path("context");
        assertThat(ctx.at("/page/url").asText()).isEqualTo(server.url("/site/care/find?q=1"));
        assertThat(ctx.at("/page/search").asText()).isEqualTo("?q=1");
        assertThat(ctx.at("/page/title").asText()).isEqualTo("Page /site/care/find");
        assertThat(ctx.path("locale").asText()).isNotBlank();
        assertThat(ctx.at("/screen/width").asInt()).isPositive();
        assertThat(ctx.at("/screen/height").asInt()).isPositive();
        assertThat(ctx.path("timezone").asText()).isNotBlank();
        assertThat(ctx.at("/session/id").asLong()).isPositive();
        assertThat(ctx.at("/session/number").asInt()).isEqualTo(1);
        assertThat(ctx.at("/session/engagementTimeMs").isNumber()).isTrue();
    }

    @Test
    void calls_made_before_the_script_loads_are_kept_in_order() {
        server.inline("veil.track('Before Load', {n: 1}); veil.identify('early-user'); veil.track('Also Early');");
        page.navigate(server.url("/site/early"));

        List<JsonNode> events = awaitEvents(es -> es.stream().anyMatch(e -> matches(e, "track", "Also Early")));

        assertThat(events)
                .extracting(e -> e.path("type").asText() + ":" + e.path("event").asText(""))
                .containsExactly("page:", "track:Before Load", "identify:", "track:Also Early");
        assertThat(events.get(1).at("/properties/n").asInt()).isEqualTo(1);
        assertThat(events.get(3).path("userId").asText()).isEqualTo("early-user");
        // Queued calls keep the time they were made, not the time they were replayed.
        assertThat(events.get(1).path("timestamp").asText())
                .isLessThanOrEqualTo(events.get(3).path("timestamp").asText());
    }

    @Test
    void anonymous_id_survives_a_reload_in_cookie_and_local_storage() {
        page.navigate(server.url("/site/a"));
        String first = awaitEvent("page", "/site/a").path("anonymousId").asText();
        page.navigate(server.url("/site/b"));
        String second = awaitEvent("page", "/site/b").path("anonymousId").asText();

        assertThat(second).isEqualTo(first);
        assertThat(context.cookies()).anySatisfy(c -> {
            assertThat(c.name).isEqualTo("veil_aid");
            assertThat(c.value).isEqualTo(first);
        });
    }

    @Test
    void single_page_app_route_changes_are_page_views() {
        page.navigate(server.url("/site/app"));
        awaitEvent("page", "/site/app");

        call("document.title = 'Step 2'; history.pushState({}, '', '/site/app/step-2?x=1')");
        JsonNode step2 = awaitEvent("page", "/site/app/step-2");
        call("history.replaceState({}, '', '/site/app/step-2?x=1#section')"); // same URL: not a page view
        call("history.back()");
        awaitEvents(
                es -> es.stream().filter(e -> matches(e, "page", "/site/app")).count() == 2);

        assertThat(step2.at("/context/page/title").asText()).isEqualTo("Step 2");
        assertThat(step2.at("/context/page/search").asText()).isEqualTo("?x=1");
        assertThat(step2.at("/context/page/referrer").asText()).isEqualTo(server.url("/site/app"));
        assertThat(eventsOfType("page"))
                .extracting(e -> e.at("/context/page/path").asText())
                .containsExactly("/site/app", "/site/app/step-2", "/site/app");
    }

    @Test
    void never_reads_form_fields_or_page_text() {
        page.navigate(server.url("/site/form"));
        call("veil.track('Clicked')");
        awaitEvent("track", "Clicked");

        assertThat(server.events())
                .isNotEmpty()
                .allSatisfy(e -> assertThat(e.toString()).doesNotContain("PHI-CANARY"));
    }

    @Test
    void the_page_makes_no_request_to_any_host_but_veil() {
        page.navigate(server.url("/site/landing?utm_source=news&gclid=G-1&fbclid=F-1"));
        awaitEvent("page", "/site/landing");
        call("veil.identify('u-7'); veil.track('Booked')");
        page.click("#next");
        awaitEvent("page", "/site/next");

        assertThat(requests)
                .anySatisfy(u -> assertThat(u).contains(server.routes().loaderPath()));
        assertThat(requests).anySatisfy(u -> assertThat(u).endsWith("/v1/batch"));
        assertNoRequestLeftTheOrigin();
    }

    @Test
    void debug_output_names_reasons_and_never_values() {
        server.options(Map.of("debug", true));
        page.navigate(server.url("/site/debug"));
        call("veil.track('Big', {note: 'PHI-CANARY-' + 'x'.repeat(40000)})");
        call("veil.track({name: 'PHI-CANARY-not-a-name'})");
        call("veil.track('Fence')");
        awaitEvent("track", "Fence");

        assertThat(console)
                .anySatisfy(m -> assertThat(m).contains("[veil] track dropped: event larger than"))
                .anySatisfy(m -> assertThat(m).contains("[veil] track ignored: event name missing"))
                .noneSatisfy(m -> assertThat(m).contains("PHI-CANARY"));
        assertThat(eventsOfType("track"))
                .extracting(e -> e.path("event").asText())
                .containsExactly("Fence");
        console.clear();
    }

    @Test
    void snippet_options_reach_the_sdk() {
        server.options(Map.of("autoPage", false));
        server.inline("veil.track('Only This')");
        page.navigate(server.url("/site/no-auto"));

        awaitEvent("track", "Only This");
        assertThat(eventsOfType("page")).isEmpty();
    }
}

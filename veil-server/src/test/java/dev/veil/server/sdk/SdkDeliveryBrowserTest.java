package dev.veil.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Delivery in Chromium: beacons on page hide, offline queueing, retries, sessions and attribution. */
class SdkDeliveryBrowserTest extends BrowserTestSupport {

    @Test
    void pagehide_flushes_the_queue_with_a_beacon() {
        server.options(Map.of("flushInterval", 600_000)); // no timed flush: only the page hide can send
        page.navigate(server.url("/site/checkout"));
        call("veil.track('Checkout Started', {step: 1})");

        page.navigate(server.url("/plain"));

        awaitEvent("track", "Checkout Started");
        assertThat(server.batches()).isNotEmpty().allSatisfy(b -> {
            assertThat(b.fetchMode()).isEqualTo("no-cors"); // how Chromium marks sendBeacon requests
            assertThat(b.authorizationHeader()).isFalse(); // beacons cannot set headers: the key is in the body
        });
        assertThat(eventsOfType("page")).hasSize(1);
    }

    @Test
    void events_of_a_page_left_while_veil_is_down_arrive_exactly_once_when_it_is_back() {
        page.navigate(server.url("/site/before"));
        awaitEvent("page", "/site/before");
        server.down(true);
        call("veil.track('Left While Down', {n: 1}); veil.track('Also Left While Down', {n: 2})");

        // Leaving the page: whatever the SDK sends now (its beacon included) is answered 503 and never stored.
        page.navigate(server.url("/site/after"));
        await().atMost(WAIT)
                .until(() -> server.refusedWhileDown().stream()
                        .anyMatch(b -> b.fetchMode().equals("no-cors")));
        page.waitForTimeout(1500); // the next page tries too, and keeps what was refused
        server.down(false);

        List<JsonNode> events = awaitEvents(es -> es.stream().anyMatch(e -> matches(e, "track", "Left While Down"))
                && es.stream().anyMatch(e -> matches(e, "track", "Also Left While Down"))
                && es.stream().anyMatch(e -> matches(e, "page", "/site/after")));
        assertThat(events)
                .filteredOn(e -> matches(e, "track", "Left While Down"))
                .hasSize(1);
        assertThat(events)
                .filteredOn(e -> matches(e, "track", "Also Left While Down"))
                .hasSize(1);
        assertThat(events).filteredOn(e -> matches(e, "page", "/site/before")).hasSize(1);
        assertThat(events).filteredOn(e -> matches(e, "page", "/site/after")).hasSize(1);
        assertThat(events).extracting(e -> e.path("messageId").asText()).doesNotHaveDuplicates();
        await().atMost(WAIT).until(() -> page.evaluate("() => localStorage.getItem('veil_q')") == null);
    }

    @Test
    void events_sent_by_a_beacon_stay_stored_until_a_later_page_has_them_confirmed() {
        server.options(Map.of("flushInterval", 600_000)); // only the page hide can send from the first page
        page.navigate(server.url("/site/one"));
        call("veil.track('Beaconed')");
        page.navigate(server.url("/plain")); // a page of the site without the SDK: nothing can confirm the beacon

        awaitEvent("track", "Beaconed");
        String kept = (String) page.evaluate("() => localStorage.getItem('veil_q')");
        assertThat(kept).as("the beacon's events, kept until confirmed").contains("Beaconed");

        server.options(Map.of());
        page.navigate(server.url("/site/two"));
        awaitEvent("page", "/site/two");
        await().atMost(WAIT).until(() -> server.duplicatesReceived() > 0); // sent again, dropped by Veil's dedup
        await().atMost(WAIT).until(() -> {
            String q = (String) page.evaluate("() => localStorage.getItem('veil_q')");
            return q == null || !q.contains("Beaconed");
        });
        assertThat(server.events())
                .filteredOn(e -> matches(e, "track", "Beaconed"))
                .hasSize(1);
    }

    @Test
    void events_sent_longer_ago_than_the_servers_duplicate_window_are_not_sent_again() {
        page.navigate(server.url("/plain"));
        // Left by an earlier page: one event sent 21 hours ago (a beacon, never confirmed), one sent an hour ago,
        // one never sent (offline). Veil drops repeats of a messageId for 24 hours only.
        page.evaluate("""
                () => {
                  const ev = (id, name) => ({type: 'track', event: name, messageId: id, anonymousId: 'a-1',
                      timestamp: new Date().toISOString(), properties: {}, context: {}});
                  localStorage.setItem('veil_q', JSON.stringify([ev('m-old', 'Sent Long Ago'),
                      ev('m-recent', 'Sent Recently'), ev('m-never', 'Never Sent')]));
                  localStorage.setItem('veil_sent', JSON.stringify({'m-old': Date.now() - 21 * 3600e3,
                      'm-recent': Date.now() - 3600e3}));
                }""");

        page.navigate(server.url("/site/later"));

        List<JsonNode> events = awaitEvents(es -> es.stream().anyMatch(e -> matches(e, "track", "Never Sent"))
                && es.stream().anyMatch(e -> matches(e, "track", "Sent Recently")));
        page.waitForTimeout(500);
        assertThat(server.events()).noneMatch(e -> matches(e, "track", "Sent Long Ago"));
        assertThat(events).filteredOn(e -> matches(e, "track", "Never Sent")).hasSize(1);
    }

    @Test
    void events_queued_offline_arrive_exactly_once_when_back_online() {
        page.navigate(server.url("/site/offline"));
        awaitEvent("page", "/site/offline");

        goOffline();
        call("veil.track('Offline One'); veil.track('Offline Two')");
        call("veil.flush()");
        String stored = (String) page.evaluate("() => localStorage.getItem('veil_q')");
        assertThat(stored).contains("Offline One").contains("Offline Two");
        context.setOffline(false);
        call("veil.track('Back Online')");

        List<JsonNode> events = awaitEvents(es -> es.stream().anyMatch(e -> matches(e, "track", "Back Online")));
        assertThat(events)
                .extracting(e -> e.path("event").asText(""))
                .containsExactly("", "Offline One", "Offline Two", "Back Online");
        assertThat(server.duplicatesReceived()).isZero();
    }

    @Test
    void events_left_offline_are_sent_by_the_next_page_load() {
        page.navigate(server.url("/site/first"));
        awaitEvent("page", "/site/first");
        goOffline();
        call("veil.track('Stranded')");
        page.close(); // closed while offline: nothing could be sent
        context.setOffline(false);

        Page next = context.newPage();
        next.navigate(server.url("/site/second"));

        List<JsonNode> events = awaitEvents(es -> es.stream().anyMatch(e -> matches(e, "page", "/site/second")));
        assertThat(events).filteredOn(e -> matches(e, "track", "Stranded")).hasSize(1);
        assertThat(server.duplicatesReceived()).isZero();
    }

    /** DevTools network emulation; waits until the page sees it, as a real browser going offline would. */
    private void goOffline() {
        context.setOffline(true);
        page.waitForFunction("() => navigator.onLine === false");
    }

    @Test
    void a_failed_batch_is_retried_and_delivered_once() {
        server.failNext(2);
        page.navigate(server.url("/site/retry"));

        List<JsonNode> events = awaitEvents(es -> !es.isEmpty());
        call("veil.track('Fence')");
        events = awaitEvents(es -> es.stream().anyMatch(e -> matches(e, "track", "Fence")));

        assertThat(events).filteredOn(e -> matches(e, "page", "/site/retry")).hasSize(1);
        assertThat(server.duplicatesReceived()).isZero();
    }

    @Test
    void click_ids_and_utms_from_the_landing_url_survive_navigation() {
        page.navigate(server.url("/site/landing?utm_source=newsletter&utm_medium=email&utm_campaign=spring"
                + "&gclid=G-1&gbraid=GB-1&wbraid=WB-1&fbclid=FB-1&ttclid=E.C.P.TT&msclkid=MS-1&li_fat_id=LI-1"));
        JsonNode landing = awaitEvent("page", "/site/landing");
        page.click("#next");
        JsonNode next = awaitEvent("page", "/site/next");
        call("history.pushState({}, '', '/site/spa-route')");
        JsonNode spa = awaitEvent("page", "/site/spa-route");

        for (JsonNode e : List.of(landing, next, spa)) {
            JsonNode ctx = e.path("context");
            assertThat(ctx.at("/campaign/source").asText()).isEqualTo("newsletter");
            assertThat(ctx.at("/campaign/medium").asText()).isEqualTo("email");
            assertThat(ctx.at("/campaign/name").asText()).isEqualTo("spring");
            JsonNode ids = ctx.path("clickIds");
            assertThat(ids.path("gclid").asText()).isEqualTo("G-1");
            assertThat(ids.path("gbraid").asText()).isEqualTo("GB-1");
            assertThat(ids.path("wbraid").asText()).isEqualTo("WB-1");
            assertThat(ids.path("fbclid").asText()).isEqualTo("FB-1");
            assertThat(ids.path("fbc").asText()).matches("fb\\.1\\.\\d{13}\\.FB-1");
            assertThat(ids.path("fbp").asText()).matches("fb\\.1\\.\\d{13}\\.\\d{10}");
            assertThat(ids.path("ttclid").asText()).isEqualTo("E.C.P.TT");
            assertThat(ids.path("msclkid").asText()).isEqualTo("MS-1");
            assertThat(ids.path("li_fat_id").asText()).isEqualTo("LI-1");
        }
        assertThat(next.at("/context/page/search").asText()).isEmpty();
        assertThat(next.at("/context/page/referrer").asText()).startsWith(server.url("/site/landing"));
    }

    @Test
    void engagement_counts_visible_time_only_and_is_sent_when_the_page_is_hidden() {
        page.clock().install();
        page.navigate(server.url("/site/article"));
        awaitEvent("page", "/site/article");

        page.clock().fastForward("00:05");
        setVisibility("hidden");
        JsonNode hidden = awaitEvent("track", "User Engagement");
        page.clock().fastForward("01:00"); // a minute in another tab
        setVisibility("visible");
        page.clock().fastForward("00:02");
        call("veil.track('Read More'); veil.flush()");
        JsonNode readMore = awaitEvent("track", "Read More");

        assertThat(hidden.at("/context/session/engagementTimeMs").asLong()).isBetween(5_000L, 59_000L);
        assertThat(readMore.at("/context/session/engagementTimeMs").asLong()).isBetween(2_000L, 59_000L);
        // Hidden is not gone: the engagement event left with a (keepalive) fetch whose answer was read.
        assertThat(server.batches()).extracting(SdkTestServer.Batch::fetchMode).containsOnly("cors");
        assertThat(page.evaluate("() => localStorage.getItem('veil_q')")).isNull();
    }

    private void setVisibility(String state) {
        page.evaluate(
                "s => { Object.defineProperty(document, 'visibilityState', {value: s, configurable: true});"
                        + " document.dispatchEvent(new Event('visibilitychange')); }",
                state);
    }

    @Test
    void sessions_roll_over_after_thirty_minutes_of_inactivity() {
        page.clock().install();
        page.navigate(server.url("/site/session"));
        JsonNode first = awaitEvent("page", "/site/session");

        page.clock().fastForward("29:00");
        call("veil.track('Still Here'); veil.flush()");
        JsonNode stillHere = awaitEvent("track", "Still Here");
        page.clock().fastForward("30:01");
        call("veil.track('Came Back'); veil.flush()");
        JsonNode cameBack = awaitEvent("track", "Came Back");

        long firstId = first.at("/context/session/id").asLong();
        assertThat(stillHere.at("/context/session/id").asLong()).isEqualTo(firstId);
        assertThat(stillHere.at("/context/session/number").asInt()).isEqualTo(1);
        assertThat(cameBack.at("/context/session/id").asLong()).isGreaterThan(firstId);
        assertThat(cameBack.at("/context/session/number").asInt()).isEqualTo(2);
        // The page stayed visible: its engagement time is reported with the next event.
        assertThat(stillHere.at("/context/session/engagementTimeMs").asLong()).isGreaterThanOrEqualTo(29 * 60_000L);
    }
}

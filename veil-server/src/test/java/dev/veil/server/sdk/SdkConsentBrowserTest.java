package dev.veil.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Consent and Global Privacy Control in Chromium. */
class SdkConsentBrowserTest extends BrowserTestSupport {

    @Test
    void with_require_consent_nothing_is_sent_or_stored_until_consent_is_granted() {
        server.options(Map.of("requireConsent", true));
        page.navigate(server.url("/site/consent"));
        call("veil.track('Pending')");
        call("veil.flush()");

        assertThat(page.evaluate("() => localStorage.length")).isEqualTo(0);
        assertThat(context.cookies()).noneSatisfy(c -> assertThat(c.name).startsWith("veil_"));

        call("veil.consent({analytics: false, advertising: false})");
        call("veil.track('Denied'); veil.flush()");
        call("veil.consent({analytics: true})");
        call("veil.track('Granted')");

        List<JsonNode> events = awaitEvents(es -> es.stream().anyMatch(e -> matches(e, "track", "Granted")));
        // Events from before the decision and while denied were dropped, never sent.
        assertThat(events).extracting(e -> e.path("event").asText()).containsExactly("Granted");
        assertThat(events.getFirst()
                        .at("/context/consent/categoryPreferences/analytics")
                        .asBoolean())
                .isTrue();
        assertThat(context.cookies()).anySatisfy(c -> assertThat(c.name).isEqualTo("veil_aid"));
    }

    @Test
    void consent_given_while_pending_releases_the_held_events_with_that_consent() {
        server.options(Map.of("requireConsent", true));
        page.navigate(server.url("/site/held"));
        call("veil.track('Held')");
        call("veil.consent({analytics: true, advertising: false})");

        JsonNode held = awaitEvent("track", "Held");
        JsonNode landing = awaitEvent("page", "/site/held");
        assertThat(held.at("/context/consent/categoryPreferences/analytics").asBoolean())
                .isTrue();
        assertThat(held.at("/context/consent/categoryPreferences/advertising").asBoolean())
                .isFalse();
        assertThat(landing.at("/context/consent/categoryPreferences/analytics").asBoolean())
                .isTrue();
        assertThat(held.at("/context").has("clickIds")).isFalse();
    }

    @Test
    void consent_denied_stops_sending_and_granted_resumes() {
        page.navigate(server.url("/site/toggle"));
        awaitEvent("page", "/site/toggle");
        call("veil.consent({analytics: false, advertising: false})");
        call("veil.track('While Denied'); veil.flush()");
        call("veil.consent({analytics: true, advertising: true})");
        call("veil.track('After Grant')");

        List<JsonNode> events = awaitEvents(es -> es.stream().anyMatch(e -> matches(e, "track", "After Grant")));
        assertThat(events)
                .extracting(e -> e.path("type").asText() + ":" + e.path("event").asText(""))
                .containsExactly("page:", "track:After Grant");
        JsonNode prefs = events.get(1).at("/context/consent/categoryPreferences");
        assertThat(prefs.path("analytics").asBoolean()).isTrue();
        assertThat(prefs.path("advertising").asBoolean()).isTrue();
    }

    @Test
    void denying_all_consent_deletes_every_stored_id_and_a_new_grant_starts_a_new_anonymous_id() {
        page.navigate(server.url("/site/deny?gclid=G-1"));
        String before = awaitEvent("page", "/site/deny").path("anonymousId").asText();
        call("veil.identify('user-7'); veil.group('clinic-7')");
        assertThat(cookie("veil_aid")).isEqualTo(before);

        call("veil.consent({analytics: false, advertising: false})");

        assertThat(context.cookies()).noneSatisfy(c -> assertThat(c.name).startsWith("veil_"));
        // Only the decision itself is kept (so that it is honoured on the next page): no id, no event, no session.
        assertThat(storedKeys()).containsExactly("veil_consent");
        assertThat((String) page.evaluate("() => localStorage.getItem('veil_consent')"))
                .doesNotContain(before)
                .doesNotContain("user-7");

        page.reload(); // a new page while denied: still nothing stored
        assertThat(context.cookies()).noneSatisfy(c -> assertThat(c.name).startsWith("veil_"));
        assertThat(storedKeys()).containsExactly("veil_consent");

        call("veil.consent({analytics: true})");
        call("veil.track('After Regrant')");
        JsonNode after = awaitEvent("track", "After Regrant");
        String renewed = after.path("anonymousId").asText();
        assertThat(renewed).matches("[0-9a-f-]{36}").isNotEqualTo(before);
        assertThat(after.has("userId")).isFalse();
        assertThat(cookie("veil_aid")).isEqualTo(renewed);
    }

    private String cookie(String name) {
        return context.cookies().stream()
                .filter(c -> c.name.equals(name))
                .map(c -> c.value)
                .findFirst()
                .orElse(null);
    }

    @SuppressWarnings("unchecked")
    private List<String> storedKeys() {
        return (List<String>) page.evaluate("() => Object.keys(localStorage).sort()");
    }

    @Test
    void global_privacy_control_denies_advertising_and_drops_click_ids() {
        context.close();
        context = newContext(new Browser.NewContextOptions().setExtraHTTPHeaders(Map.of("Sec-GPC", "1")));
        context.addInitScript("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})");
        page = context.newPage();
        page.navigate(server.url("/site/gpc?gclid=G-9&fbclid=F-9&utm_source=ads"));
        call("veil.consent({analytics: true, advertising: true})"); // GPC wins over a banner's "accept all"
        call("veil.track('With GPC')");

        List<JsonNode> events = awaitEvents(es -> es.stream().anyMatch(e -> matches(e, "track", "With GPC")));
        assertThat(events).allSatisfy(e -> {
            assertThat(e.at("/context/consent/categoryPreferences/advertising").asBoolean(true))
                    .isFalse();
            assertThat(e.path("context").has("clickIds")).isFalse();
        });
        assertThat(events.getLast()
                        .at("/context/consent/categoryPreferences/analytics")
                        .asBoolean())
                .isTrue();
        assertThat(events.getFirst().at("/context/campaign/source").asText()).isEqualTo("ads");
        assertThat(page.evaluate("() => localStorage.getItem('veil_clk')")).isNull();
    }
}

package dev.veil.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.SameSiteAttribute;
import dev.veil.core.policy.SourceSpec.IdentityCookie;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server-set identity cookie in Chromium, deployed as docs/sdk.md describes: pages on
 * {@code www.site.veil.test}, Veil on {@code t.site.veil.test} (same site, another origin), the source's
 * {@code identityCookie} on the domain {@code site.veil.test}.
 */
class SdkIdentityCookieBrowserTest extends BrowserTestSupport {

    static final String WWW = "www.site.veil.test";
    static final String VEIL = "t.site.veil.test";
    static final long DAY_SECONDS = 86_400;

    private void startSite() {
        server.close();
        server = SdkTestServer.startWithIdentityCookie(WWW, new IdentityCookie("site.veil.test"));
        server.options(Map.of("host", server.url(VEIL, ""), "credentials", "include"));
    }

    private List<Cookie> aidCookies() {
        return context.cookies().stream().filter(c -> c.name.equals("veil_aid")).toList();
    }

    @Test
    void with_analytics_consent_the_ingest_answer_sets_a_400_day_cookie_on_the_sites_domain() {
        startSite();
        page.navigate(server.url(WWW, "/site/home"));
        call("veil.consent({analytics: true})");
        call("veil.track('Consented')");
        String aid = awaitEvent("track", "Consented").path("anonymousId").asText();

        await().atMost(WAIT).until(() -> aidCookies().stream().anyMatch(c -> c.domain.equals(".site.veil.test")));
        Cookie serverSet = aidCookies().stream()
                .filter(c -> c.domain.equals(".site.veil.test"))
                .findFirst()
                .orElseThrow();
        assertThat(serverSet.value).isEqualTo(aid);
        double now = System.currentTimeMillis() / 1000.0;
        // The SDK's own copy lives a year; only the server's answer sets 400 days.
        assertThat(serverSet.expires).isGreaterThan(now + 399 * DAY_SECONDS);
        assertThat(serverSet.httpOnly)
                .as("the SDK must be able to read and delete it")
                .isFalse();
        assertThat(serverSet.sameSite).isEqualTo(SameSiteAttribute.LAX);
        assertThat(serverSet.path).isEqualTo("/");

        // Storage purged (as Safari does with script-written data after 7 days): the cookie keeps the visitor.
        page.evaluate("() => localStorage.removeItem('veil_aid')");
        context.clearCookies(new com.microsoft.playwright.BrowserContext.ClearCookiesOptions()
                .setDomain(WWW)); // the SDK's own host-only copy
        page.reload();
        call("veil.track('Came Back')");
        assertThat(awaitEvent("track", "Came Back").path("anonymousId").asText())
                .isEqualTo(aid);
    }

    @Test
    void no_cookie_is_set_by_the_server_without_a_consent_decision() {
        startSite();
        page.navigate(server.url(WWW, "/site/undecided"));
        awaitEvent("page", "/site/undecided");
        page.waitForTimeout(300);

        assertThat(aidCookies()).noneSatisfy(c -> assertThat(c.domain).isEqualTo(".site.veil.test"));
    }

    @Test
    void denying_consent_deletes_the_server_set_cookie_too() {
        startSite();
        page.navigate(server.url(WWW, "/site/deny"));
        call("veil.consent({analytics: true})");
        call("veil.track('Consented')");
        awaitEvent("track", "Consented");
        await().atMost(WAIT).until(() -> aidCookies().stream().anyMatch(c -> c.domain.equals(".site.veil.test")));

        call("veil.consent({analytics: false, advertising: false})");

        assertThat(context.cookies()).noneSatisfy(c -> assertThat(c.name).startsWith("veil_"));
    }

    @Test
    void analytics_denied_with_another_category_granted_has_the_server_delete_its_cookie() {
        startSite();
        page.navigate(server.url(WWW, "/site/ads-only"));
        call("veil.consent({analytics: true})");
        call("veil.track('Consented')");
        awaitEvent("track", "Consented");
        await().atMost(WAIT).until(() -> aidCookies().stream().anyMatch(c -> c.domain.equals(".site.veil.test")));

        call("veil.consent({analytics: false, advertising: true})");
        call("veil.track('Ads Only')");
        JsonNode adsOnly = awaitEvent("track", "Ads Only");

        assertThat(adsOnly.at("/context/consent/categoryPreferences/analytics").asBoolean(true))
                .isFalse();
        await().atMost(WAIT).until(() -> aidCookies().stream().noneMatch(c -> c.domain.equals(".site.veil.test")));
    }
}

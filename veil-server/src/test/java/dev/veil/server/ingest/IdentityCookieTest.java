package dev.veil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.policy.SourceSpec.IdentityCookie;
import dev.veil.server.VeilServer;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.source.Source;
import dev.veil.server.source.StaticSourceRegistry;
import dev.veil.server.testing.MemoryEventLog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server-set identity cookie over HTTP: set only for sources that turn it on, only for browsers (an
 * {@code Origin}), only with analytics consent, deleted when analytics is denied, never echoing anything but an id.
 */
class IdentityCookieTest {

    static final String SITE = "https://www.example-health.org";
    static final String AID = "0f8e2d4c-1a2b-4c3d-8e9f-001122334455";

    private final VeilServer veil = VeilServer.start(
            ServerConfig.defaults().withEphemeralPorts(),
            new StaticSourceRegistry()
                    .add(
                            new Source(
                                    "site",
                                    "Site",
                                    List.of(SITE, "https://www.other.example"),
                                    new IdentityCookie("example-health.org")),
                            "wk-domain")
                    .add(
                            new Source(
                                    "proxied",
                                    "Proxied",
                                    List.of(SITE, "http://localhost:8080"),
                                    new IdentityCookie(null)),
                            "wk-host")
                    .add(new Source("off", "Off", List.of(SITE)), "wk-off"),
            new MemoryEventLog(),
            Clock.systemUTC(),
            List.of());
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        veil.close();
    }

    private static String batch(String key, @Nullable Boolean analytics, String anonymousId) {
        String consent = analytics == null
                ? ""
                : ",\"consent\":{\"categoryPreferences\":{\"analytics\":" + analytics + ",\"advertising\":false}}";
        return "{\"writeKey\":\"" + key + "\",\"batch\":[{\"type\":\"track\",\"event\":\"E\",\"anonymousId\":\""
                + anonymousId + "\",\"context\":{\"library\":{\"name\":\"veil-sdk-js\"}" + consent + "}}]}";
    }

    private List<String> setCookies(String body, @Nullable String origin) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + veil.port() + "/v1/batch"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.headers().allValues("Set-Cookie");
    }

    @Test
    void with_analytics_consent_the_answer_mirrors_the_anonymous_id_on_the_sites_domain() throws Exception {
        assertThat(setCookies(batch("wk-domain", true, AID), SITE))
                .containsExactly("veil_aid=" + AID
                        + "; Max-Age=34560000; Path=/; SameSite=Lax; Domain=example-health.org; Secure");
    }

    @Test
    void without_a_domain_the_cookie_is_host_only_and_secure_only_for_https_pages() throws Exception {
        assertThat(setCookies(batch("wk-host", true, AID), "http://localhost:8080"))
                .containsExactly("veil_aid=" + AID + "; Max-Age=34560000; Path=/; SameSite=Lax");
    }

    @Test
    void analytics_denied_deletes_the_cookie() throws Exception {
        assertThat(setCookies(batch("wk-domain", false, AID), SITE))
                .containsExactly("veil_aid=; Max-Age=0; Path=/; SameSite=Lax; Domain=example-health.org; Secure");
    }

    @Test
    void no_cookie_without_a_consent_decision_without_the_option_or_without_a_browser() throws Exception {
        assertThat(setCookies(batch("wk-domain", null, AID), SITE))
                .as("no decision")
                .isEmpty();
        assertThat(setCookies(batch("wk-off", true, AID), SITE))
                .as("option off")
                .isEmpty();
        assertThat(setCookies(batch("wk-domain", true, AID), null))
                .as("no Origin: a server")
                .isEmpty();
    }

    @Test
    void no_cookie_for_a_page_outside_the_cookie_domain() throws Exception {
        assertThat(setCookies(batch("wk-domain", true, AID), "https://www.other.example"))
                .isEmpty();
    }

    @Test
    void only_an_id_is_ever_echoed_into_the_header() throws Exception {
        assertThat(setCookies(batch("wk-domain", true, "x; Domain=evil.example"), SITE))
                .isEmpty();
        assertThat(setCookies(batch("wk-domain", true, "short"), SITE)).isEmpty();
    }

    @Test
    void a_refused_request_sets_no_cookie() throws Exception {
        var r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + veil.port() + "/v1/batch"))
                        .header("Content-Type", "text/plain")
                        .header("Origin", "https://evil.example")
                        .POST(HttpRequest.BodyPublishers.ofString(batch("wk-domain", true, AID)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
    }
}

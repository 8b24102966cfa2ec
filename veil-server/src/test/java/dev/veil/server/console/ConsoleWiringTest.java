package dev.veil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.EmbeddedStores;
import dev.veil.server.VeilServer;
import dev.veil.server.admin.AdminWiring;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.source.StaticSourceRegistry;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console as {@code serve} and {@code demo} mount it (AdminWiring's one extension): the owner's setup link
 * opens the console's setup page, then sign-in in two steps (password, then code), pages behind the session with
 * security headers, CSRF-checked forms, sign-out. Plain HTTP, no browser (the browser test is ConsoleBrowserTest).
 */
class ConsoleWiringTest {

    @TempDir
    Path dir;

    private EmbeddedStores stores;
    private AdminWiring admin;
    private VeilServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private @Nullable String cookie;

    @BeforeEach
    void start() {
        stores = EmbeddedStores.open(dir, MasterKey.load(dir), EventLogOptions.defaults());
        admin = AdminWiring.open(stores, Clock.systemUTC());
        server = VeilServer.start(
                ServerConfig.defaults().withListen(new ServerConfig.Listen("127.0.0.1", 0)),
                admin.sources(new StaticSourceRegistry(), stores.config()),
                stores.eventLog(),
                Clock.systemUTC(),
                List.of(admin.extension()));
        admin.serverStarted(server);
    }

    @AfterEach
    void stop() {
        server.close();
        admin.close();
        stores.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).GET();
        if (cookie != null) {
            b.header("Cookie", "veil_session=" + cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, String> form, String... headers) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            b.header("Cookie", "veil_session=" + cookie);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        r.headers().firstValue("Set-Cookie").ifPresent(c -> {
            String v = c.substring(c.indexOf('=') + 1, c.indexOf(';'));
            cookie = v.isEmpty() ? null : v;
        });
        return r;
    }

    private static String find(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        assertThat(m.find()).as("%s in the page", regex).isTrue();
        return m.group(1);
    }

    private static Map<String, String> form(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void the_setup_link_then_a_two_step_sign_in_opens_the_console_and_sign_out_ends_it() throws Exception {
        assertThat(get("/console").statusCode()).isEqualTo(303);
        assertThat(get("/console").headers().firstValue("Location")).contains("/console/login");

        String link = admin.bootstrapOwner(url("")).orElseThrow();
        assertThat(link).startsWith(url("/console/setup?token="));
        HttpResponse<String> setup = get(link.substring(url("").length()));
        assertThat(setup.statusCode()).isEqualTo(200);
        assertThat(setup.body()).contains("Finish setup").contains("data:image/png;base64,");
        String secret = find(setup.body(), "<code id=\"totp-key\">([A-Z2-7]+)</code>");
        String token = link.substring(link.indexOf("token=") + 6);
        var totp = admin.services().auth().totp();

        HttpResponse<String> done = post(
                "/console/setup",
                form("token", token, "password", "owner password 1234", "code", totp.code(secret, totp.currentStep())));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("Recovery codes").contains("Continue to the console");
        assertThat(cookie).isNotNull();

        HttpResponse<String> overview = get("/console");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("<h1>Overview</h1>").contains("admin");
        assertThat(overview.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'")
                .contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(overview.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(overview.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(overview.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(get("/console/assets/htmx.min.js").statusCode()).isEqualTo(200);

        // Forms need the session's anti-CSRF token, and a same-origin browser.
        String csrf = find(overview.body(), "name=\"_csrf\" value=\"([^\"]+)\"");
        assertThat(post("/console/logout", form()).statusCode()).isEqualTo(403);
        assertThat(post("/console/logout", form("_csrf", csrf), "Origin", "https://evil.example")
                        .statusCode())
                .isEqualTo(403);
        assertThat(post("/console/logout", form("_csrf", csrf)).statusCode()).isEqualTo(303);
        assertThat(get("/console").statusCode()).isEqualTo(303);

        // Sign in again: password first, then the code.
        HttpResponse<String> wrong = post("/console/login", form("username", "admin", "password", "not the password"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("wrong user name, password or code");
        HttpResponse<String> step1 =
                post("/console/login", form("username", "admin", "password", "owner password 1234"));
        assertThat(step1.statusCode()).isEqualTo(200);
        assertThat(step1.body()).contains("Code from your authenticator app");
        String ticket = find(step1.body(), "name=\"ticket\" value=\"([^\"]+)\"");
        HttpResponse<String> badCode = post("/console/login/code", form("ticket", ticket, "code", "000000"));
        assertThat(badCode.statusCode()).isEqualTo(401);
        HttpResponse<String> step2 = post(
                "/console/login/code",
                form("ticket", ticket, "code", totp.code(secret, totp.currentStep() + 1), "next", "/console/account"));
        assertThat(step2.statusCode()).as(step2.body()).isEqualTo(303);
        assertThat(step2.headers().firstValue("Location")).contains("/console/account");
        assertThat(get("/console/account").body()).contains("owner");
    }

    @Test
    void only_console_paths_are_followed_after_sign_in() throws Exception {
        HttpResponse<String> page = get("/console/login?next=https://evil.example/");
        assertThat(page.body()).contains("name=\"next\" value=\"/console\"");
        assertThat(get("/console/login?next=//evil.example").body()).contains("name=\"next\" value=\"/console\"");
    }
}

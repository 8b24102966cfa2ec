package dev.veil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.Cookie;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import dev.veil.fakes.FakeWebhookReceiver;
import dev.veil.server.EmbeddedStores;
import dev.veil.server.VeilServer;
import dev.veil.server.admin.AdminWiring;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.pipeline.ConfiguredConnectors;
import dev.veil.server.pipeline.Pipeline;
import dev.veil.server.source.StaticSourceRegistry;
import dev.veil.server.testing.Chromium;
import dev.veil.server.testing.TestServer;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's operations pages in a running server as {@code serve} wires it (admin stores, delivery with the
 * console's observer, a signed-webhook vendor fake): a real event with canary PHI goes through, then every page
 * is opened over HTTP by a person of each role — statuses per role, security headers, and no page holding a
 * configured secret, a write key or the canary PHI (except a privacy officer's audited reveal). Then Debian's
 * Chromium opens each page, keyboard first, and saves screenshots under {@code target/console-screenshots} ({@code ops-*.png}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleOpsTest {

    static final String HOOK_SECRET = "hook-signing-CANARY-3c9f51aa";
    static final String PHI_EMAIL = "jane.canary@example.org";
    static final String PHI_USER = "patient-CANARY-4711";

    @TempDir
    static Path dir;

    FakeWebhookReceiver vendor;
    EmbeddedStores stores;
    AdminWiring admin;
    VeilServer server;
    Pipeline pipeline;
    String writeKey;
    final HttpClient http = HttpClient.newHttpClient();
    final Map<Role, String[]> sessions = new EnumMap<>(Role.class);

    @BeforeAll
    void start() throws Exception {
        vendor = FakeWebhookReceiver.start(HOOK_SECRET);
        stores = EmbeddedStores.open(dir, MasterKey.load(dir), EventLogOptions.defaults());
        admin = AdminWiring.open(stores, Clock.systemUTC());
        server = VeilServer.start(
                ServerConfig.defaults().withListen(new ServerConfig.Listen("127.0.0.1", 0)),
                admin.sources(new StaticSourceRegistry(), stores.config()),
                stores.eventLog(),
                Clock.systemUTC(),
                List.of(admin.extension()));
        admin.serverStarted(server);
        ConfiguredConnectors connectors = admin.connectors();
        pipeline = Pipeline.start(stores, dir, new SimpleMeterRegistry(), connectors, null, admin.observer());
        admin.deliveryStarted(pipeline, stores, connectors);

        var s = admin.services();
        for (Role r : Role.values()) {
            sessions.put(r, signIn(r));
        }
        Principal owner = s.auth().session(sessions.get(Role.OWNER)[0]).principal();
        s.policies().setTwoPersonRule(owner, false);
        String yaml = """
                version: 1
                destinations:
                  - id: hook
                    type: webhook
                    name: Care team hook
                    settings:
                      url: %s/hooks/veil
                      signingSecret: ${secret:destination.hook.signingSecret}
                    events:
                      allow:
                        - name: Signed Up
                          properties:
                            plan: pass
                            zip: zip3
                """.formatted(vendor.baseUrl());
        var draft = s.drafts().create(owner, yaml, "hook").draft();
        var view = s.destinations().setSecret(owner, "hook", "signingSecret", HOOK_SECRET, draft.id());
        s.drafts().publish(owner, draft.id(), view.draft().revision());
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> pipeline.runtime().version() == 1);
        pipeline.delivery().reconcile();
        writeKey = s.sources().create(owner, "web", "Clinic website", List.of()).writeKey();

        HttpResponse<String> tracked = http.send(
                HttpRequest.newBuilder(URI.create(url("/v1/track")))
                        .header("Content-Type", "application/json")
                        .header("Authorization", TestServer.basic(writeKey))
                        .POST(HttpRequest.BodyPublishers.ofString("""
                                {"event":"Signed Up","userId":"%s",
                                 "properties":{"plan":"write to %s","zip":"94110","name":"Quetzal Canary"}}""".formatted(PHI_USER, PHI_EMAIL)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tracked.statusCode()).isEqualTo(200);
        vendor.awaitAccepted(1, Duration.ofSeconds(30));
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> get(Role.OWNER, "/console/debugger").body().contains("/console/debugger/1"));
    }

    @AfterAll
    void stop() {
        pipeline.close();
        server.close();
        admin.close();
        stores.close();
        vendor.close();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** A finished setup for a new user of {@code role}; returns the session cookie and anti-CSRF token. */
    String[] signIn(Role role) {
        var s = admin.services();
        String name = role.wire().replace('_', '-');
        var inv = s.users().create(Principal.system(), name, name, role);
        var start = s.auth().startSetup(inv.setupToken());
        String code = start.totpRequired()
                ? s.auth().totp().code(start.totpSecret(), s.auth().totp().currentStep())
                : null;
        var done = s.auth().finishSetup(inv.setupToken(), name + " password 1234", code);
        return new String[] {done.session().cookieValue(), done.session().csrfToken()};
    }

    HttpResponse<String> get(Role role, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url(path)))
                        .header("Cookie", "veil_session=" + sessions.get(role)[0])
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(Role role, String path, Map<String, String> form) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(form);
        all.put("_csrf", sessions.get(role)[1]);
        String body = all.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return http.send(
                HttpRequest.newBuilder(URI.create(url(path)))
                        .header("Cookie", "veil_session=" + sessions.get(role)[0])
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static final List<String> PAGES = List.of(
            "/console/sources",
            "/console/destinations",
            "/console/destinations/hook",
            "/console/destinations/new?type=webhook",
            "/console/debugger",
            "/console/debugger/1",
            "/console/compliance",
            "/console/compliance.csv",
            "/console/users",
            "/console/tokens",
            "/console/audit");

    static int expected(Role role, String page) {
        if (page.startsWith("/console/users") || page.startsWith("/console/tokens")) {
            return role == Role.OWNER ? 200 : 403;
        }
        if (page.startsWith("/console/audit")) {
            return role == Role.OWNER || role == Role.PRIVACY_OFFICER ? 200 : 403;
        }
        if (page.startsWith("/console/destinations/new")) {
            return role == Role.VIEWER ? 403 : 200;
        }
        return 200;
    }

    List<String> secrets() {
        return List.of(HOOK_SECRET, writeKey, PHI_EMAIL, PHI_USER, "Quetzal Canary", "94110");
    }

    @Test
    void every_page_answers_each_role_as_its_permissions_say_and_holds_no_secret_or_phi() throws Exception {
        for (Role role : Role.values()) {
            for (String page : PAGES) {
                HttpResponse<String> r = get(role, page);
                assertThat(r.statusCode()).as("%s %s", role, page).isEqualTo(expected(role, page));
                for (String secret : secrets()) {
                    assertThat(r.body()).as("%s %s", role, page).doesNotContain(secret);
                }
                if (!page.endsWith(".csv")) {
                    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                            .contains("frame-ancestors 'none'")
                            .doesNotContain("unsafe-inline");
                    assertThat(r.body().replace("<script src=\"/console/assets/htmx.min.js\" defer></script>", ""))
                            .as("%s %s: no inline script", role, page)
                            .doesNotContain("<script")
                            .doesNotContain(" style=");
                }
            }
        }
    }

    @Test
    void the_sources_page_renders_the_servers_sdk_snippet_and_a_new_key_once() throws Exception {
        String list = get(Role.EDITOR, "/console/sources").body();
        assertThat(list).contains("/assets/").contains("YOUR_WRITE_KEY");

        HttpResponse<String> created = post(Role.EDITOR, "/console/sources", Map.of("id", "app", "name", "App"));
        assertThat(created.statusCode()).isEqualTo(200);
        Matcher m =
                Pattern.compile("id=\"writekey\" readonly value=\"([^\"]+)\"").matcher(created.body());
        assertThat(m.find()).isTrue();
        assertThat(created.body())
                .contains("\"writeKey\":\"" + m.group(1) + "\"")
                .contains("/assets/");
        assertThat(get(Role.EDITOR, "/console/sources").body()).doesNotContain(m.group(1));

        assertThat(post(Role.VIEWER, "/console/sources", Map.of("id", "x", "name", "X"))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void the_debugger_shows_the_event_side_by_side_and_only_a_privacy_officer_reveals_values() throws Exception {
        String hidden = get(Role.VIEWER, "/console/debugger/1").body();
        assertThat(hidden).contains("As received").contains("As <code>hook</code> received it");
        assertThat(hidden).contains("<code>properties.plan</code>").contains("redacted");

        assertThat(post(Role.VIEWER, "/console/debugger/1/reveal", Map.of()).statusCode())
                .isEqualTo(403);
        assertThat(post(Role.EDITOR, "/console/debugger/1/reveal", Map.of()).statusCode())
                .isEqualTo(403);
        HttpResponse<String> revealed = post(Role.PRIVACY_OFFICER, "/console/debugger/1/reveal", Map.of());
        assertThat(revealed.statusCode()).isEqualTo(200);
        assertThat(revealed.body()).contains(PHI_EMAIL).contains("recorded in the audit log");
        assertThat(admin.services().audit().log().latest(20, "raw.view"))
                .anySatisfy(e -> assertThat(e.target()).isEqualTo("recent_event:1"));
    }

    @Test
    void an_owner_invites_someone_whose_one_time_link_opens_the_consoles_setup_page() throws Exception {
        HttpResponse<String> invited = post(Role.OWNER, "/console/users", Map.of("username", "nina", "role", "viewer"));
        assertThat(invited.statusCode()).isEqualTo(200);
        Matcher m =
                Pattern.compile("id=\"once-value\" readonly value=\"([^\"]+)\"").matcher(invited.body());
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).startsWith(url("/console/setup?token="));
        HttpResponse<String> setup =
                http.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(setup.statusCode()).isEqualTo(200);
        assertThat(setup.body()).contains("Finish setup");
        assertThat(get(Role.OWNER, "/console/users").body()).contains("nina").doesNotContain(m.group(1));
        assertThat(post(Role.PRIVACY_OFFICER, "/console/users", Map.of("username", "eve", "role", "owner"))
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void the_compliance_report_downloads_as_csv_and_pdf() throws Exception {
        HttpResponse<String> csv = get(Role.VIEWER, "/console/compliance.csv");
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.body()).contains("hook,Care team hook,webhook,no,yes,property,Signed Up,zip,zip3");
        HttpResponse<byte[]> pdf = http.send(
                HttpRequest.newBuilder(URI.create(url("/console/compliance.pdf")))
                        .header("Cookie", "veil_session=" + sessions.get(Role.VIEWER)[0])
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(new String(pdf.body(), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    }

    @Test
    void chromium_opens_every_page_by_keyboard_without_third_party_requests_and_saves_screenshots() throws Exception {
        Path shots = Path.of("target", "console-screenshots");
        Files.createDirectories(shots);
        List<String> foreign = new CopyOnWriteArrayList<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        try (Playwright pw = Chromium.playwright();
                Browser browser = Chromium.launch(pw)) {
            for (Role role : List.of(Role.OWNER, Role.VIEWER, Role.PRIVACY_OFFICER)) {
                // A viewer reads with JavaScript off: every page is server-rendered and works without it.
                BrowserContext context =
                        browser.newContext(new Browser.NewContextOptions().setJavaScriptEnabled(role != Role.VIEWER));
                context.addCookies(List.of(new Cookie("veil_session", sessions.get(role)[0])
                        .setDomain("127.0.0.1")
                        .setPath("/")));
                Page page = context.newPage();
                page.onRequest(req -> {
                    if (!req.url().startsWith(url("/"))) {
                        foreign.add(req.url());
                    }
                });
                page.onConsoleMessage(msg -> {
                    // Chromium asks every site for /favicon.ico; the console has none (a 404 is expected).
                    if (msg.type().equals("error") && !msg.location().contains("favicon.ico")) {
                        problems.add(role + " " + page.url() + ": " + msg.text());
                    }
                });
                List<String> visit = new ArrayList<>();
                for (String p : PAGES) {
                    if (!p.endsWith(".csv") && expected(role, p) == 200) {
                        visit.add(p);
                    }
                }
                for (String p : visit) {
                    page.navigate(url(p));
                    // The first Tab reaches the skip link, which leads to the main content.
                    page.keyboard().press("Tab");
                    assertThat(page.evaluate("document.activeElement.className"))
                            .isEqualTo("skip");
                    String name = "ops-" + role.wire() + "-"
                            + p.replace("/console/", "").replaceAll("[^a-z0-9]+", "-");
                    page.screenshot(new Page.ScreenshotOptions()
                            .setPath(shots.resolve(name + ".png"))
                            .setFullPage(true));
                    assertThat(page.locator("main h1").count())
                            .as("%s %s", role, p)
                            .isEqualTo(1);
                    String text = page.content();
                    for (String secret : secrets()) {
                        assertThat(text).as("%s %s", role, p).doesNotContain(secret);
                    }
                }
                if (role == Role.PRIVACY_OFFICER) {
                    page.navigate(url("/console/debugger/1"));
                    page.getByText("Reveal values (recorded in the audit log)").focus();
                    page.keyboard().press("Enter");
                    page.waitForURL(url("/console/debugger/1/reveal"));
                    assertThat(page.content()).contains(PHI_EMAIL);
                    page.screenshot(new Page.ScreenshotOptions()
                            .setPath(shots.resolve("ops-privacy_officer-debugger-revealed.png"))
                            .setFullPage(true));
                }
                if (role == Role.VIEWER) {
                    page.navigate(url("/console/debugger/1"));
                    assertThat(page.getByText("Reveal values (recorded in the audit log)")
                                    .count())
                            .isZero();
                }
                context.close();
            }
        }
        assertThat(foreign).as("requests to other origins").isEmpty();
        assertThat(problems).as("console errors (CSP violations, failed loads)").isEmpty();
    }
}

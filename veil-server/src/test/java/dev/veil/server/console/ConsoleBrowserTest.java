package dev.veil.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import dev.veil.admin.auth.Totp;
import dev.veil.fakes.FakeGa4;
import dev.veil.server.EmbeddedStores;
import dev.veil.server.VeilServer;
import dev.veil.server.admin.AdminWiring;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.pipeline.Pipeline;
import dev.veil.server.source.Source;
import dev.veil.server.source.StaticSourceRegistry;
import dev.veil.server.testing.Chromium;
import dev.veil.server.testing.TestServer;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in Debian's headless Chromium over a running server (admin wiring, delivery to a fake GA4 that
 * enforces the Measurement Protocol's rules): the owner's first sign-in through the setup link with TOTP; an
 * editor allows {@code service_line} of {@code Appointment Booked} for GA4 in the privacy matrix (and is refused,
 * with the reason, when passing {@code user_id} to GA4, which has no BAA); a privacy officer who did not edit the
 * draft approves and publishes it; a new event reaches the fake GA4 with that property and the matrix cell shows
 * it flowing; a viewer reads but cannot edit, reach raw data or secrets. Every page is scanned for the configured
 * secrets and the canary PHI values sent in events, must make no request off the server's origin and no console
 * error (a CSP violation is one); screenshots of every page go to {@code target/console-screenshots/}.
 */
class ConsoleBrowserTest {

    static final Path SHOTS = Path.of("target", "console-screenshots");
    static final Duration WAIT = Duration.ofSeconds(30);

    static final String WRITE_KEY = "console-browser-write-key-1";
    static final String GA4_SECRET = "ga4-api-secret-canary-5d1f";
    static final String OWNER_PASSWORD = "owner password canary 91";
    static final List<String> CANARY_PHI =
            List.of("Zelda Canaryfield", "zelda.canaryfield@example.org", "canary-user-7781", "555-0199-7781");

    @TempDir
    Path dir;

    private FakeGa4 ga4;
    private EmbeddedStores stores;
    private AdminWiring admin;
    private VeilServer server;
    private Pipeline pipeline;
    private Playwright playwright;
    private Browser browser;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    private final List<String> secrets = new ArrayList<>(List.of(GA4_SECRET, OWNER_PASSWORD));
    private final AtomicInteger shot = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();
    private final List<Page> pages = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Chromium.require(); // a missing browser fails the test (README, "Tests"), never a silent skip
        ga4 = FakeGa4.start("G-CONSOLE1", GA4_SECRET);
        Path secretFile = dir.resolve("ga4.secret");
        Files.writeString(secretFile, GA4_SECRET + "\n", StandardCharsets.UTF_8);
        stores = EmbeddedStores.open(dir, MasterKey.load(dir), EventLogOptions.defaults());
        admin = AdminWiring.open(stores, Clock.systemUTC());
        var sources = admin.sources(
                new StaticSourceRegistry().add(new Source("web", "Clinic site", List.of("*")), WRITE_KEY),
                stores.config());
        server = VeilServer.start(
                ServerConfig.defaults().withListen(new ServerConfig.Listen("127.0.0.1", 0)),
                sources,
                stores.eventLog(),
                Clock.systemUTC(),
                List.of(admin.extension()));
        admin.serverStarted(server);
        String policy = """
                version: 1
                destinations:
                  - id: ga4
                    type: ga4
                    name: GA4
                    settings:
                      measurementId: G-CONSOLE1
                      apiSecret: ${file:%s}
                      endpoint: %s/mp/collect
                    events:
                      allow:
                        - name: Appointment Booked
                          as: book_appointment
                """.formatted(secretFile.toAbsolutePath(), ga4.baseUrl());
        var connectors = admin.connectors();
        pipeline = Pipeline.start(
                stores,
                dir,
                server.registry(),
                connectors,
                new Pipeline.PolicyFile("test policy", policy),
                admin.observer());
        admin.deliveryStarted(pipeline, stores, connectors);
        Files.createDirectories(SHOTS);
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
    }

    @AfterEach
    void stop() {
        for (int i = 0; i < pages.size(); i++) {
            try {
                // What each page showed when the test ended (a failure's last state).
                pages.get(i)
                        .screenshot(new Page.ScreenshotOptions()
                                .setPath(SHOTS.resolve("last-state-" + i + ".png"))
                                .setFullPage(true));
            } catch (RuntimeException e) {
                // the page may be closed
            }
        }
        if (playwright != null) {
            playwright.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        if (server != null) {
            server.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (stores != null) {
            stores.close();
        }
        if (ga4 != null) {
            ga4.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private Page newPage() {
        BrowserContext c = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        c.onRequest(r -> requests.add(r.url()));
        Page p = c.newPage();
        p.setDefaultTimeout(15_000);
        pages.add(p);
        p.onConsoleMessage(m -> {
            // Chromium's own line for a 4xx page load is not a page error; anything else (a CSP violation) is.
            if (m.type().equals("error") && !m.text().startsWith("Failed to load resource")) {
                consoleErrors.add(m.text());
            }
        });
        p.onPageError(consoleErrors::add);
        return p;
    }

    /** Screenshot of the page as it is now, and a scan for secrets and canary PHI values. */
    private void seen(Page p, String name) throws Exception {
        p.screenshot(new Page.ScreenshotOptions()
                .setPath(SHOTS.resolve(String.format("%02d-%s.png", shot.incrementAndGet(), name)))
                .setFullPage(true));
        String html = p.content();
        for (String s : secrets) {
            assertThat(html).as("page %s shows a secret", name).doesNotContain(s);
        }
        for (String s : CANARY_PHI) {
            assertThat(html).as("page %s shows a PHI value", name).doesNotContain(s);
        }
    }

    private void track(String event, Map<String, Object> properties) throws Exception {
        String props = properties.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .reduce((a, b) -> a + "," + b)
                .orElse("");
        int n = messages.incrementAndGet();
        String body = """
                {"type":"track","messageId":"console-msg-%d","event":"%s","timestamp":"%s",
                 "userId":"canary-user-7781","anonymousId":"anon-%d",
                 "properties":{%s},
                 "context":{"traits":{"name":"Zelda Canaryfield","email":"zelda.canaryfield@example.org",
                   "phone":"555-0199-7781"}}}
                """.formatted(n, event, Instant.now().minusSeconds(n).toString(), n, props);
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/v1/track"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", TestServer.basic(WRITE_KEY))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static final Map<String, Object> BOOKING = Map.of(
            "service_line", "dermatology",
            "user_id", "canary-user-7781",
            "patient_email", "zelda.canaryfield@example.org");

    /** A user created by the owner's services, set up with a password (and TOTP when the role needs it). */
    private record Person(
            String name, String password, @Nullable String totpSecret) {}

    private Person person(String name, Role role) {
        var inv = admin.services().users().create(Principal.system(), name, name, role);
        var start = admin.services().auth().startSetup(inv.setupToken());
        Totp totp = admin.services().auth().totp();
        String password = name + " password canary 42";
        String secret = role.totpRequiredByDefault() ? start.totpSecret() : null;
        admin.services()
                .auth()
                .finishSetup(inv.setupToken(), password, secret == null ? null : totp.code(secret, totp.currentStep()));
        secrets.add(password);
        if (secret != null) {
            secrets.add(secret);
        }
        return new Person(name, password, secret);
    }

    private String nextCode(String secret) {
        Totp totp = admin.services().auth().totp();
        return totp.code(secret, totp.currentStep() + 1);
    }

    private void signIn(Page p, Person who) throws Exception {
        p.navigate(base() + "/console");
        assertThat(p.url()).contains("/console/login");
        p.locator("#username").fill(who.name());
        p.locator("#password").fill(who.password());
        p.locator("button[type=submit]").click();
        if (who.totpSecret() != null) {
            p.locator("#code").waitFor();
            seen(p, who.name() + "-code-step");
            p.locator("#code").fill(nextCode(who.totpSecret()));
            p.locator("button[type=submit]").click();
        }
        p.waitForURL(base() + "/console");
        assertThat(p.locator("header .who").textContent()).contains(who.name());
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    private Locator cell(Page p, String dest, String path) {
        return p.locator("td[data-dest=\"" + dest + "\"][data-path=\"" + path + "\"]")
                .first();
    }

    /** Opens every entry of the side navigation {@code p} shows and scans it. */
    private void everyNavigationPage(Page p, String role) throws Exception {
        p.navigate(base() + "/console");
        List<String> hrefs = new ArrayList<>();
        for (Locator a : p.locator("nav.side a").all()) {
            hrefs.add(a.getAttribute("href"));
        }
        assertThat(hrefs).contains("/console", "/console/matrix", "/console/drafts");
        for (String href : hrefs) {
            var response = p.navigate(base() + href);
            assertThat(response.status()).as(href).isEqualTo(200);
            assertThat(p.locator("h1").count()).as("%s has a heading", href).isPositive();
            seen(p, role + href.replace("/console", "").replace('/', '-'));
        }
    }

    @Test
    void owner_setup_editor_draft_officer_publish_event_flows_and_viewer_reads_only() throws Exception {
        // Traffic first: the dictionary learns names and types (never values) from the event log.
        track("Appointment Booked", BOOKING);
        await().atMost(WAIT).until(() -> ga4.accepted().size() >= 1);
        assertThat(ga4.accepted().getFirst().path("params").has("service_line")).isFalse();
        admin.console().learner().learnOnce();

        // 1. The owner's first sign-in, through the one-time setup link, enrolling TOTP; then a sign-in with TOTP.
        String link = admin.bootstrapOwner(base()).orElseThrow();
        Page owner = newPage();
        owner.navigate(link);
        seen(owner, "setup");
        String ownerSecret = owner.locator("#totp-key").textContent().strip();
        secrets.add(ownerSecret);
        Totp totp = admin.services().auth().totp();
        owner.locator("#password").fill(OWNER_PASSWORD);
        owner.locator("#code").fill(totp.code(ownerSecret, totp.currentStep()));
        owner.locator("button[type=submit]").click();
        assertThat(owner.locator("h1").textContent()).isEqualTo("You are set up");
        assertThat(owner.locator("ul.codes li").count()).isEqualTo(10);
        owner.screenshot(new Page.ScreenshotOptions()
                .setPath(SHOTS.resolve(String.format("%02d-setup-done.png", shot.incrementAndGet()))));
        owner.locator("text=Continue to the console").click();
        owner.waitForURL(base() + "/console");
        owner.locator("header .who button").click(); // sign out
        owner.waitForURL("**/console/login");
        secrets.add(ownerSecret);
        signIn(owner, new Person("admin", OWNER_PASSWORD, ownerSecret));
        seen(owner, "overview");
        assertThat(owner.locator("figure.chart svg").count()).isGreaterThanOrEqualTo(3);
        owner.navigate(base() + "/console/account");
        seen(owner, "account");

        Person editor = person("erin", Role.EDITOR);
        Person officer = person("olga", Role.PRIVACY_OFFICER);
        Person viewer = person("victor", Role.VIEWER);

        // 2. The editor: service_line of Appointment Booked is new and blocked everywhere; allow it for GA4.
        Page ed = newPage();
        signIn(ed, editor);
        ed.navigate(base() + "/console/matrix");
        seen(ed, "matrix-editor");
        Locator serviceLine = cell(ed, "ga4", "properties.service_line");
        assertThat(serviceLine.getAttribute("data-kind")).isEqualTo("blocked");
        assertThat(ed.locator("tr.new th:has-text(\"properties.service_line\")").textContent())
                .contains("new · blocked everywhere");

        // Passing the user id to GA4 (no BAA) is refused in place, with the validator's reason.
        cell(ed, "ga4", "userId").locator("a").click();
        ed.locator("#panel input[value=pass]").waitFor();
        ed.locator("#panel input[value=pass]").check();
        ed.locator("#panel button:has-text(\"Preview the change\")").click();
        ed.locator("#panel .notice.bad").waitFor();
        assertThat(ed.locator("#panel .notice.bad").textContent())
                .contains("Refused by the policy validator")
                .contains("'pass' needs baa: true");
        assertThat(ed.locator("#panel button:has-text(\"Save to my draft\")").count())
                .isZero();
        seen(ed, "matrix-refused");

        serviceLine.locator("a").click();
        ed.locator("#panel h2:has-text(\"service_line\")").waitFor();
        ed.locator("#panel input[value=pass]").check();
        ed.locator("#panel button:has-text(\"Preview the change\")").click();
        ed.locator("#panel button:has-text(\"Save to my draft\")").waitFor();
        assertThat(ed.locator("#panel").textContent())
                .contains("starts receiving property `service_line` of event `Appointment Booked`");
        seen(ed, "matrix-preview");
        ed.locator("#panel button:has-text(\"Save to my draft\")").click();
        ed.waitForURL(base() + "/console/matrix");
        assertThat(ed.locator("main .notice").first().textContent()).contains("Saved to draft");
        seen(ed, "matrix-saved");
        ed.navigate(base() + "/console/drafts");
        assertThat(ed.locator("button:has-text(\"Approve\")").count()).isZero();
        seen(ed, "drafts-editor");

        // 3. The privacy officer (TOTP) reads the change in plain words, approves and publishes it.
        Page po = newPage();
        signIn(po, officer);
        po.navigate(base() + "/console/drafts");
        assertThat(po.locator("ul.changes").textContent())
                .contains("GA4 starts receiving property `service_line` of event `Appointment Booked`");
        seen(po, "drafts-officer");
        po.locator("button:has-text(\"Approve revision\")").click();
        po.waitForURL("**/console/drafts/*");
        assertThat(po.locator("main").textContent()).contains("You approved revision");
        seen(po, "draft-approved");
        po.locator("button:has-text(\"Publish revision\")").click();
        po.waitForURL(base() + "/console/drafts");
        assertThat(po.locator("main .notice").first().textContent()).contains("published as policy version 2");
        assertThat(po.locator("table.history").textContent()).contains("erin").contains("olga");
        seen(po, "drafts-history");

        // 4. A new event reaches the fake GA4 with service_line, and the matrix shows it flowing.
        int before = ga4.accepted().size();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            track("Appointment Booked", BOOKING);
            return ga4.accepted().stream()
                    .skip(before)
                    .anyMatch(
                            e -> e.path("params").path("service_line").asText().equals("dermatology"));
        });
        JsonNode delivered = ga4.accepted().getLast();
        assertThat(delivered.toString()).doesNotContain("canary-user-7781").doesNotContain("zelda");
        assertThat(ga4.violations()).isEmpty();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> {
            ed.navigate(base() + "/console/matrix");
            Locator c = cell(ed, "ga4", "properties.service_line");
            return "pass".equals(c.getAttribute("data-kind")) && c.textContent().contains("sent");
        });
        seen(ed, "matrix-flowing");

        // 5. The viewer reads the matrix without edit links and cannot reach the editor, raw events or secrets.
        Page vw = newPage();
        signIn(vw, viewer);
        seen(vw, "overview-viewer");
        vw.navigate(base() + "/console/matrix");
        assertThat(vw.locator("td[data-dest] a").count()).isZero();
        assertThat(cell(vw, "ga4", "properties.service_line").getAttribute("data-kind"))
                .isEqualTo("pass");
        seen(vw, "matrix-viewer");
        vw.navigate(base() + "/console/drafts");
        assertThat(vw.locator("form[action$=approve], form[action$=publish]").count())
                .isZero();
        seen(vw, "drafts-viewer");
        var cellPage = vw.navigate(base() + "/console/matrix/cell?dest=ga4&type=track&event=Appointment+Booked"
                + "&path=properties.service_line");
        assertThat(cellPage.status()).isEqualTo(403);
        seen(vw, "viewer-refused");
        String csrf = find(vw.content(), "name=\"_csrf\" value=\"([^\"]+)\"");
        APIResponse apply = vw.request()
                .post(
                        base() + "/console/matrix/apply",
                        RequestOptions.create()
                                .setForm(FormData.create()
                                        .set("_csrf", csrf)
                                        .set("dest", "ga4")
                                        .set("type", "track")
                                        .set("event", "Appointment Booked")
                                        .set("path", "properties.user_id")
                                        .set("choice", "mask")));
        assertThat(apply.status()).isEqualTo(403);
        APIResponse raw = vw.request().get(base() + "/api/v1/destinations/ga4/dead-letters/1");
        assertThat(raw.status()).isEqualTo(403);
        APIResponse destination = vw.request().get(base() + "/api/v1/destinations/ga4");
        assertThat(destination.text()).doesNotContain(GA4_SECRET);

        // Every page of the navigation, as the owner (everything) and as the viewer: scanned and photographed.
        everyNavigationPage(owner, "owner");
        everyNavigationPage(vw, "viewer");

        // Nothing left the server's origin; no page had a script error or a CSP violation.
        assertThat(requests).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(base() + "/"));
        assertThat(consoleErrors).isEmpty();
    }
}

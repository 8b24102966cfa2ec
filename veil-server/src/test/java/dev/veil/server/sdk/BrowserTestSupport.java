package dev.veil.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.veil.server.testing.Chromium;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs a test class in Debian's headless Chromium driven by Playwright, with a fresh {@link SdkTestServer},
 * browser context (cookies, storage) and page per test, and a log of every request the page makes.
 *
 * <p>Playwright is never allowed to download a browser: it drives {@code /usr/bin/chromium} (or
 * {@code $VEIL_CHROMIUM}); a missing browser fails the tests ({@link Chromium}).
 */
abstract class BrowserTestSupport {

    static final Duration WAIT = Duration.ofSeconds(15);

    private static Playwright playwright;
    static Browser browser;

    SdkTestServer server;
    BrowserContext context;
    Page page;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> pageErrors = new CopyOnWriteArrayList<>();
    final List<String> console = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void launchBrowser() {
        playwright = Chromium.playwright();
        // Host names of a site and its Veil subdomain, for first-party cookie tests.
        browser = Chromium.launch(playwright, "--host-resolver-rules=MAP *.veil.test 127.0.0.1");
    }

    @AfterAll
    static void closeBrowser() {
        if (playwright != null) {
            playwright.close(); // closes the browser too
            playwright = null;
        }
    }

    @BeforeEach
    void openPage() {
        server = SdkTestServer.start();
        context = newContext(new Browser.NewContextOptions());
        page = context.newPage();
    }

    BrowserContext newContext(Browser.NewContextOptions options) {
        BrowserContext c = browser.newContext(options);
        c.onRequest(r -> requests.add(r.url()));
        c.onPage(p -> {
            p.onPageError(pageErrors::add);
            p.onConsoleMessage(m -> {
                // Chromium's own network error lines (404 favicon, injected 503s, offline) are not page output.
                if (!m.text().startsWith("Failed to load resource") && !m.text().contains("net::ERR_")) {
                    console.add(m.type() + ": " + m.text());
                }
            });
        });
        return c;
    }

    @AfterEach
    void closePage() {
        try {
            // The SDK never throws into the page and, without debug: true, writes nothing to the console.
            assertThat(pageErrors).as("uncaught errors in the page").isEmpty();
            assertThat(console).as("console output").isEmpty();
        } finally {
            if (context != null) {
                context.close();
            }
            if (server != null) {
                server.close();
            }
        }
    }

    /** Waits until the received events satisfy {@code condition}, then returns them. */
    List<JsonNode> awaitEvents(Predicate<List<JsonNode>> condition) {
        await().atMost(WAIT).until(() -> condition.test(server.events()));
        return server.events();
    }

    /** Waits for the first event with that type and (for track) name or (for page) path. */
    JsonNode awaitEvent(String type, String nameOrPath) {
        awaitEvents(events -> events.stream().anyMatch(e -> matches(e, type, nameOrPath)));
        return server.events().stream()
                .filter(e -> matches(e, type, nameOrPath))
                .findFirst()
                .orElseThrow();
    }

    List<JsonNode> eventsOfType(String type) {
        return server.events().stream()
                .filter(e -> e.path("type").asText().equals(type))
                .toList();
    }

    static boolean matches(JsonNode e, String type, String nameOrPath) {
        if (!e.path("type").asText().equals(type)) {
            return false;
        }
        return switch (type) {
            case "track" -> e.path("event").asText().equals(nameOrPath);
            case "page" -> e.at("/context/page/path").asText().equals(nameOrPath);
            default -> true;
        };
    }

    /** Evaluates a call on the page's {@code veil} object. */
    void call(String js) {
        page.evaluate(js);
    }

    void assertNoRequestLeftTheOrigin() {
        assertThat(requests)
                .isNotEmpty()
                .allSatisfy(url -> assertThat(url).startsWith("http://" + server.hostAndPort() + "/"));
    }
}

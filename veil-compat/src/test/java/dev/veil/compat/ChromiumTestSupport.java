package dev.veil.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Veil ({@link CompatVeil}), a site on another origin ({@link TestSite}) and Debian's Chromium driven by
 * Playwright, fresh per test. Playwright never downloads a browser; a missing Chromium fails the tests (it is
 * part of what {@code .ci/run} installs), it does not skip them.
 *
 * <p>No request may leave 127.0.0.1: Chromium resolves no other host name, and every request the page made is
 * checked after the test. (Playwright's request interception is not used: its handlers run only while the test
 * thread is inside a Playwright call, and these tests wait on Veil instead.)
 */
abstract class ChromiumTestSupport {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("VEIL_CHROMIUM", "/usr/bin/chromium"));
    static final Duration WAIT = Duration.ofSeconds(30);

    private static Playwright playwright;
    private static Browser browser;

    @TempDir
    Path dir;

    CompatVeil veil;
    TestSite site;
    BrowserContext context;
    Page page;
    final List<String> offHost = new CopyOnWriteArrayList<>();
    final List<String> pageErrors = new CopyOnWriteArrayList<>();
    final List<String> failedRequests = new CopyOnWriteArrayList<>();
    final List<String> console = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void launchBrowser() {
        assertThat(Files.isExecutable(CHROMIUM))
                .as("Chromium at " + CHROMIUM + " (apt-get install -y chromium; .ci/run installs it)")
                .isTrue();
        playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM)
                        .setHeadless(true)
                        .setArgs(List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-dev-shm-usage",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--no-first-run",
                                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")));
    }

    @AfterAll
    static void closeBrowser() {
        if (playwright != null) {
            playwright.close();
            playwright = null;
        }
    }

    @BeforeEach
    void start() {
        site = TestSite.start();
        veil = CompatVeil.start(dir, site.origin());
        context = browser.newContext();
        context.onRequest(r -> {
            if (r.url().matches("(?i)(https?|wss?)://.*") && !r.url().startsWith("http://127.0.0.1:")) {
                offHost.add(r.url());
            }
        });
        context.onRequestFailed(r -> failedRequests.add(r.method() + " " + r.url() + " " + r.failure()));
        page = context.newPage();
        page.onPageError(pageErrors::add);
        page.onConsoleMessage(m -> console.add(m.type() + ": " + m.text()));
    }

    @AfterEach
    void stop() {
        page.waitForTimeout(200); // lets Playwright deliver the page's last events to the listeners above
        // Shown in the test's output file when something fails: what the library said and what it could not send.
        System.out.println("console: " + console);
        System.out.println("failed requests: " + failedRequests);
        try {
            assertThat(offHost).as("requests that left 127.0.0.1").isEmpty();
            assertThat(pageErrors).as("uncaught errors in the page").isEmpty();
            assertThat(veil.destinationViolations())
                    .as("rules the destination saw broken")
                    .isEmpty();
        } finally {
            if (context != null) {
                context.close();
            }
            if (veil != null) {
                veil.close();
            }
            if (site != null) {
                site.close();
            }
        }
    }
}

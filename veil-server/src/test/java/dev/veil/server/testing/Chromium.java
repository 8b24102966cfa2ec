package dev.veil.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the browser tests find Debian's Chromium ({@code /usr/bin/chromium} or {@code $VEIL_CHROMIUM}). A missing
 * browser fails the tests with a message saying how to install it (CI installs it; {@code ./veil test} must never
 * pass without them). A developer without Chromium may skip them explicitly with {@code
 * VEIL_SKIP_BROWSER_TESTS=1} on a direct {@code ./mvnw} run; {@code ./veil test} ignores that variable.
 */
public final class Chromium {

    /** The opt-out for developers without Chromium. */
    public static final String SKIP_VARIABLE = "VEIL_SKIP_BROWSER_TESTS";

    private Chromium() {}

    /** The Chromium executable; fails the test (or skips it when explicitly opted out) when there is none. */
    public static Path require() {
        return require(System.getenv());
    }

    /** Playwright for {@link #launch}: it never downloads a browser of its own (that fails here). */
    public static Playwright playwright() {
        return Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    /**
     * Launches {@link #require() the Chromium} headless with the flags every browser test uses (no sandbox, GPU or
     * shared-memory file system, no background traffic of the browser's own), then {@code extraArgs}.
     */
    public static Browser launch(Playwright playwright, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run"));
        args.addAll(List.of(extraArgs));
        return playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(require())
                        .setHeadless(true)
                        .setArgs(args));
    }

    static Path require(Map<String, String> env) {
        Path chromium = Path.of(env.getOrDefault("VEIL_CHROMIUM", "/usr/bin/chromium"));
        if (Files.isExecutable(chromium)) {
            return chromium;
        }
        String message = "no Chromium at " + chromium + ": install Debian's (apt-get install -y chromium) or set"
                + " VEIL_CHROMIUM to its path";
        if ("1".equals(env.get(SKIP_VARIABLE))) {
            Assumptions.abort("browser tests skipped on request (" + SKIP_VARIABLE + "=1): " + message);
        }
        return fail("browser tests cannot run: " + message + " (to skip them on purpose, " + SKIP_VARIABLE
                + "=1 with ./mvnw; ./veil test always runs them)");
    }
}

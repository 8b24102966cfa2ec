package dev.veil.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
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

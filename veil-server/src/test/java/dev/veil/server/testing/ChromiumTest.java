package dev.veil.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing Chromium fails browser tests (never a silent skip) unless a developer opts out explicitly. */
class ChromiumTest {

    private static final String MISSING = "/nonexistent/chromium";

    @Test
    void a_missing_browser_fails_with_how_to_install_it() {
        assertThatThrownBy(() -> Chromium.require(Map.of("VEIL_CHROMIUM", MISSING)))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("no Chromium at " + MISSING)
                .hasMessageContaining("apt-get install -y chromium");
    }

    @Test
    void a_missing_browser_is_skipped_only_on_explicit_request() {
        assertThatThrownBy(() -> Chromium.require(Map.of("VEIL_CHROMIUM", MISSING, Chromium.SKIP_VARIABLE, "1")))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("skipped on request");
        assertThatThrownBy(() -> Chromium.require(Map.of("VEIL_CHROMIUM", MISSING, Chromium.SKIP_VARIABLE, "yes")))
                .isInstanceOf(AssertionFailedError.class);
    }

    @Test
    void an_installed_browser_is_returned() {
        assertThat(Chromium.require(Map.of("VEIL_CHROMIUM", "/bin/sh"))).hasToString("/bin/sh");
    }
}

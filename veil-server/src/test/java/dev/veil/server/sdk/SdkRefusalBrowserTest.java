package dev.veil.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Answers that no retry can change: an unknown write key (401) and a page origin the source does not allow (403)
 * stop the SDK on that page, with a {@code debug} console line naming the cause, instead of a retry loop.
 */
class SdkRefusalBrowserTest extends BrowserTestSupport {

    @Test
    void an_unknown_write_key_is_final_and_named_on_the_console() {
        server.options(Map.of("writeKey", "wk_not_a_source", "debug", true, "flushInterval", 50));
        page.navigate(server.url("/site/wrong-key"));
        await().atMost(WAIT).until(() -> server.batches().size() == 1);

        call("veil.track('After Refusal'); veil.flush()");
        page.waitForTimeout(2500); // a retry (or the next batch) would come within a second
        call("veil.track('Later')");
        page.waitForTimeout(500);

        assertThat(server.batches()).as("requests to the ingest API").hasSize(1);
        assertThat(server.events()).isEmpty();
        assertThat(console)
                .anySatisfy(line ->
                        assertThat(line).contains("[veil]").contains("HTTP 401").contains("write key"));
        assertThat(console).noneSatisfy(line -> assertThat(line).contains("wk_not_a_source"));
        assertThat(page.evaluate("() => localStorage.getItem('veil_q')")).isNull();
        console.clear(); // expected output, with debug: true
    }

    @Test
    void an_origin_the_source_does_not_allow_is_final_and_named_on_the_console() {
        server.close();
        server = SdkTestServer.startAllowing("https://www.example-health.org");
        server.options(Map.of("debug", true, "flushInterval", 50));
        page.navigate(server.url("/site/wrong-origin"));
        await().atMost(WAIT).until(() -> server.batches().size() == 1);

        call("veil.track('After Refusal'); veil.flush()");
        page.waitForTimeout(2500);

        assertThat(server.batches()).as("requests to the ingest API").hasSize(1);
        assertThat(server.events()).isEmpty();
        assertThat(console)
                .anySatisfy(line ->
                        assertThat(line).contains("[veil]").contains("HTTP 403").contains("origin"));
        console.clear();
    }

    @Test
    void without_debug_a_refusal_writes_nothing_to_the_console() {
        server.options(Map.of("writeKey", "wk_not_a_source", "flushInterval", 50));
        page.navigate(server.url("/site/quiet"));
        await().atMost(WAIT).until(() -> server.batches().size() == 1);
        call("veil.track('After Refusal')");
        page.waitForTimeout(1500);

        assertThat(server.batches()).hasSize(1);
        // closePage() checks that the console stayed empty.
    }
}

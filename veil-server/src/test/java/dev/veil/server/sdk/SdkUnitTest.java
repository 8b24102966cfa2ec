package dev.veil.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs the SDK's JavaScript unit tests (unit-tests.js) in Chromium and reports each as a JUnit test. */
class SdkUnitTest extends BrowserTestSupport {

    @TestFactory
    Stream<DynamicTest> sdk_unit_tests_pass_in_the_browser() {
        page.navigate(server.url("/unit"));
        await().atMost(WAIT).until(() -> (Boolean) page.evaluate("() => Array.isArray(window.__unitResults)"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) page.evaluate("() => window.__unitResults");

        assertThat(results).hasSizeGreaterThan(10);
        return results.stream()
                .map(r -> DynamicTest.dynamicTest(
                        String.valueOf(r.get("name")),
                        () -> assertThat(r.get("ok")).as("%s", r.get("message")).isEqualTo(true)));
    }
}

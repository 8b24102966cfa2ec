package dev.veil.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.veil.core.event.RawEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official {@code @segment/analytics-next} (npm, pinned in package-lock.json, bundled locally) on a page of
 * another origin, pointed at Veil with {@code integrations['Segment.io'].apiHost} as Segment documents for proxies.
 * Its settings are given inline ({@code cdnSettings}), so nothing is fetched from Segment's CDN.
 *
 * <p>Modes: {@code standard} (one request per call to {@code /v1/t|p|i|g|a}, Basic auth, {@code text/plain}) and
 * {@code batching} ({@code deliveryStrategy: batching}: {@code /v1/b}).
 */
class SegmentAnalyticsNextBrowserTest extends ChromiumTestSupport {

    private String open(String mode) {
        String html = """
                <!doctype html><html><head><meta charset="utf-8"><title>Segment site</title>
                <script src="/js/segment-analytics-next.js"></script></head><body><h1>Segment</h1>
                <script>
                  window.load = function (cfg) {
                    var segmentio = { apiHost: cfg.apiHost, protocol: 'http' };
                    if (cfg.mode === 'batching') {
                      segmentio.deliveryStrategy = { strategy: 'batching', config: { size: 5, timeout: 500 } };
                    }
                    return AnalyticsBrowser.load(
                        { writeKey: cfg.writeKey, cdnSettings: { integrations: { 'Segment.io': { apiKey: cfg.writeKey } } } },
                        { integrations: { 'Segment.io': segmentio } })
                      .then(function (r) { window.analytics = r[0]; return true; });
                  };
                  window.fiveCalls = function (event) {
                    var a = window.analytics;
                    a.page('Docs', 'Pricing', { section: 'plans' });
                    a.track(event, { service_line: 'dermatology' });
                    a.identify('user-1', { plan: 'gold' });
                    a.group('clinic-7', { size: 12 });
                    a.alias('user-1', 'previous-anon-1');
                  };
                </script></body></html>
                """;
        page.navigate(site.page("segment", html));
        Object loaded = page.evaluate(
                "cfg => window.load(cfg)",
                Map.of(
                        "apiHost",
                        veil.url().substring("http://".length()) + "/v1",
                        "writeKey",
                        CompatVeil.WRITE_KEY,
                        "mode",
                        mode));
        assertThat(loaded).isEqualTo(true);
        return mode;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"standard", "batching"})
    void every_call_from_another_origin_is_stored_once_and_delivered(String mode) {
        open(mode);
        page.evaluate("e => window.fiveCalls(e)", CompatVeil.TRACK_EVENT);

        List<RawEvent> stored = Deliveries.assertEachCallStoredOnceAndDelivered(veil, WAIT);

        assertThat(stored).allSatisfy(e -> {
            assertThat(e.sourceId()).isEqualTo("site");
            assertThat(e.message().at("/context/library/name").asText()).isEqualTo("analytics.js");
            assertThat(e.message().has("writeKey"))
                    .as("the write key is never stored")
                    .isFalse();
        });
        List<String> paths =
                veil.seen().stream().map(CompatVeil.Seen::path).distinct().toList();
        if (mode.equals("batching")) {
            assertThat(paths).containsExactly("/v1/b");
        } else {
            assertThat(paths).containsExactlyInAnyOrder("/v1/p", "/v1/t", "/v1/i", "/v1/g", "/v1/a");
        }
        assertThat(veil.seen())
                .allSatisfy(s -> assertThat(s.header("authorization")).startsWith("Basic "));
        assertThat(failedRequests).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"standard", "batching"})
    void a_503_is_retried_with_x_retry_count_and_delivered_once(String mode) {
        open(mode);
        veil.failNext(1);
        page.evaluate("e => window.fiveCalls(e)", CompatVeil.TRACK_EVENT);

        Deliveries.assertEachCallStoredOnceAndDelivered(veil, WAIT);

        await().atMost(WAIT).until(() -> veil.seen().stream().anyMatch(CompatVeil.Seen::injected503));
        // The retry carries X-Retry-Count, which the preflight must allow or the browser never sends it.
        assertThat(veil.seen())
                .filteredOn(s -> !s.injected503())
                .anySatisfy(s -> assertThat(s.header("x-retry-count")).isNotEmpty());
    }
}

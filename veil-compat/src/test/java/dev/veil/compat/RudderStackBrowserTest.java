package dev.veil.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.veil.core.event.RawEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official {@code @rudderstack/analytics-js} v3 (npm, pinned in package-lock.json) on a page of another origin,
 * with Veil as its data plane URL. The "bundled" build carries its plugins, and the source configuration is given
 * by the documented {@code getSourceConfig} load option, so nothing is fetched from RudderStack's CDN or control
 * plane (and error/metrics reporting stays off, as that configuration says).
 *
 * <p>Modes: {@code standard} (XhrQueue: one request per call to {@code /v1/<type>} with Basic auth and the
 * {@code AnonymousId}/{@code SentAt} headers), {@code batching} (XhrQueue batches to {@code /v1/batch}) and
 * {@code beacon} ({@code useBeacon}: {@code sendBeacon} to {@code /beacon/v1/batch?writeKey=…}).
 */
class RudderStackBrowserTest extends ChromiumTestSupport {

    private void open(String mode) {
        String html = """
                <!doctype html><html><head><meta charset="utf-8"><title>RudderStack site</title>
                <script src="/js/rudderstack-analytics-js.js"></script></head><body><h1>RudderStack</h1>
                <script>
                  window.load = function (cfg) {
                    var options = {
                      getSourceConfig: function () {
                        return { source: { id: 'veil-compat', name: 'Test site', workspaceId: 'veil', enabled: true,
                          config: { statsCollection: { errors: { enabled: false }, metrics: { enabled: false } } },
                          destinations: [] } };
                      },
                      polyfillIfRequired: false,
                      logLevel: 'WARN'
                    };
                    if (cfg.mode === 'batching') {
                      options.queueOptions = { batch: { enabled: true, maxItems: 5, flushInterval: 500 } };
                    }
                    if (cfg.mode === 'beacon') {
                      options.useBeacon = true;
                      options.beaconQueueOptions = { flushQueueInterval: 500 };
                    }
                    return new Promise(function (resolve) {
                      var rudder = new RudderAnalytics();
                      window.rudder = rudder;
                      options.onLoaded = function () { resolve(true); };
                      rudder.load(cfg.writeKey, cfg.dataPlaneUrl, options);
                    });
                  };
                  window.fiveCalls = function (event) {
                    var r = window.rudder;
                    r.page('Docs', 'Pricing', { section: 'plans' });
                    r.track(event, { service_line: 'dermatology' });
                    r.identify('user-1', { plan: 'gold' });
                    r.group('clinic-7', { size: 12 });
                    r.alias('user-1', 'previous-anon-1');
                  };
                </script></body></html>
                """;
        page.navigate(site.page("rudderstack", html));
        Object loaded = page.evaluate(
                "cfg => window.load(cfg)",
                Map.of("dataPlaneUrl", veil.url(), "writeKey", CompatVeil.WRITE_KEY, "mode", mode));
        assertThat(loaded).isEqualTo(true);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"standard", "batching", "beacon"})
    void every_call_from_another_origin_is_stored_once_and_delivered(String mode) {
        open(mode);
        page.evaluate("e => window.fiveCalls(e)", CompatVeil.TRACK_EVENT);

        List<RawEvent> stored = Deliveries.assertEachCallStoredOnceAndDelivered(veil, WAIT);

        assertThat(stored).allSatisfy(e -> {
            assertThat(e.sourceId()).isEqualTo("site");
            assertThat(e.message().at("/context/library/name").asText()).contains("RudderLabs JavaScript SDK");
        });
        List<String> paths =
                veil.seen().stream().map(CompatVeil.Seen::path).distinct().toList();
        switch (mode) {
            case "batching" -> assertThat(paths).containsExactly("/v1/batch");
            case "beacon" -> {
                assertThat(paths).containsExactly("/beacon/v1/batch");
                assertThat(veil.seen()).allSatisfy(s -> {
                    assertThat(s.query()).as("write key in the query string").isTrue();
                    assertThat(s.header("authorization")).isEmpty();
                });
            }
            default -> {
                assertThat(paths)
                        .containsExactlyInAnyOrder("/v1/page", "/v1/track", "/v1/identify", "/v1/group", "/v1/alias");
                assertThat(veil.seen()).allSatisfy(s -> {
                    assertThat(s.header("authorization")).startsWith("Basic ");
                    assertThat(s.header("anonymousid")).isNotEmpty();
                    assertThat(s.header("sentat")).isNotEmpty();
                });
            }
        }
        assertThat(failedRequests).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"standard", "batching"})
    void a_503_is_retried_with_the_rsa_retry_headers_and_delivered_once(String mode) {
        // Beacons cannot be retried: sendBeacon never reads the answer.
        open(mode);
        veil.failNext(1);
        page.evaluate("e => window.fiveCalls(e)", CompatVeil.TRACK_EVENT);

        Deliveries.assertEachCallStoredOnceAndDelivered(veil, WAIT);

        await().atMost(WAIT).until(() -> veil.seen().stream().anyMatch(CompatVeil.Seen::injected503));
        // Rsa-Retry-Attempt and friends must pass the preflight, or the browser never sends the retry. (The SDK's
        // Rsa-Retry-Reason names the first attempt's reason, not this 503, so it is not checked.)
        assertThat(veil.seen())
                .filteredOn(s -> !s.injected503())
                .anySatisfy(s -> assertThat(s.header("rsa-retry-attempt")).isEqualTo("1"));
    }
}

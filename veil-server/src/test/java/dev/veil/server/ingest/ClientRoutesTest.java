package dev.veil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The paths and headers of the Segment and RudderStack client libraries, as their code sends them (issue 9): each
 * test pins one way a real client was refused before.
 */
class ClientRoutesTest {

    private final TestServer veil = new TestServer();

    @AfterEach
    void stop() {
        veil.close();
    }

    @Test
    void analytics_next_one_letter_paths_store_one_message_of_their_type_each() {
        Map<String, EventType> paths = Map.of(
                "/v1/t", EventType.TRACK,
                "/v1/p", EventType.PAGE,
                "/v1/s", EventType.SCREEN,
                "/v1/i", EventType.IDENTIFY,
                "/v1/g", EventType.GROUP,
                "/v1/a", EventType.ALIAS);
        paths.forEach((path, type) -> {
            // analytics-next: text/plain, Basic auth and the write key in the body too.
            HttpResponse<String> r = veil.post(
                    path,
                    "{\"writeKey\":\"" + TestServer.WRITE_KEY + "\",\"anonymousId\":\"a1\",\"event\":\"E\","
                            + "\"groupId\":\"g1\",\"previousId\":\"p1\",\"messageId\":\"m" + path.charAt(4) + "\"}",
                    "Content-Type",
                    "text/plain");
            assertThat(r.statusCode()).as(path).isEqualTo(200);
        });

        assertThat(veil.log.events()).hasSize(6);
        paths.forEach((path, type) ->
                assertThat(byMessageId("m" + path.charAt(4)).type()).as(path).isEqualTo(type));
    }

    @Test
    void analytics_next_batching_posts_to_v1_b() {
        HttpResponse<String> r = veil.post(
                "/v1/b",
                "{\"writeKey\":\"" + TestServer.WRITE_KEY + "\",\"sentAt\":\"2026-11-29T12:00:00Z\",\"batch\":["
                        + "{\"type\":\"track\",\"event\":\"One\",\"anonymousId\":\"a1\",\"messageId\":\"b1\"},"
                        + "{\"type\":\"page\",\"anonymousId\":\"a1\",\"messageId\":\"b2\"}]}",
                "Content-Type",
                "text/plain");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(veil.log.events()).extracting(RawEvent::messageId).containsExactly("b1", "b2");
    }

    @Test
    void rudderstack_beacons_post_to_beacon_v1_batch_with_the_write_key_in_the_query_string() {
        // RudderStack JS SDK v3 BeaconQueue: sendBeacon(dataPlaneUrl + '/beacon/v1/batch?writeKey=' + key, Blob
        // text/plain {batch, sentAt}): no header and no key in the body.
        HttpResponse<String> r = veil.post(
                "/beacon/v1/batch?writeKey=" + TestServer.WRITE_KEY,
                "{\"sentAt\":\"2026-11-29T12:00:00.000Z\",\"batch\":[{\"type\":\"track\",\"event\":\"Beacon\","
                        + "\"anonymousId\":\"a1\",\"messageId\":\"r1\",\"channel\":\"web\"}]}",
                "Authorization",
                "-",
                "Content-Type",
                "text/plain;charset=UTF-8");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(veil.log.events()).extracting(RawEvent::messageId).containsExactly("r1");
        assertThat(veil.log.events().getFirst().message().toString()).doesNotContain(TestServer.WRITE_KEY);
    }

    @Test
    void an_unknown_write_key_in_the_query_string_is_refused_with_401() {
        HttpResponse<String> r = veil.post(
                "/beacon/v1/batch?writeKey=nope",
                "{\"batch\":[{\"type\":\"track\",\"event\":\"E\",\"anonymousId\":\"a1\"}]}",
                "Authorization",
                "-");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("write key is not known");
        assertThat(veil.log.events()).isEmpty();
    }

    @Test
    void the_query_string_carries_no_write_key_outside_beacon_routes() {
        // A key in a URL ends up in access logs and browser history; only beacons, which have no other way, may.
        HttpResponse<String> r = veil.post(
                "/v1/batch?writeKey=" + TestServer.WRITE_KEY,
                "{\"batch\":[{\"type\":\"track\",\"event\":\"E\",\"anonymousId\":\"a1\"}]}",
                "Authorization",
                "-");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("write key is missing");
    }

    @Test
    void rudderstack_xhr_requests_with_their_headers_are_stored() {
        String anon = Base64.getEncoder().encodeToString("a1".getBytes());
        HttpResponse<String> r = veil.post(
                "/v1/track",
                "{\"type\":\"track\",\"event\":\"Rudder\",\"anonymousId\":\"a1\",\"messageId\":\"x1\","
                        + "\"sentAt\":\"2026-11-29T12:00:00.000Z\"}",
                "Content-Type",
                "application/json;charset=UTF-8",
                "AnonymousId",
                anon,
                "SentAt",
                "2026-11-29T12:00:00.000Z",
                "Rsa-Retry-Attempt",
                "1",
                "Rsa-Retry-Reason",
                "server-503");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(veil.log.events()).extracting(RawEvent::messageId).containsExactly("x1");
    }

    @Test
    void rudderstack_node_batches_labelled_form_urlencoded_are_read_as_json() throws Exception {
        // @rudderstack/rudder-sdk-node 3.x posts gzip'd JSON through axios, which labels a Buffer body
        // application/x-www-form-urlencoded; RudderStack's data plane reads it as JSON regardless.
        byte[] body = IngestApiTest.gzip(("{\"batch\":[{\"type\":\"track\",\"event\":\"Node\",\"userId\":\"u1\","
                        + "\"messageId\":\"n1\"}],\"sentAt\":\"2026-11-29T12:00:00.000Z\"}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> r = veil.post(
                "/v1/batch",
                body,
                "Content-Type",
                "application/x-www-form-urlencoded",
                "Content-Encoding",
                "gzip",
                "User-Agent",
                "analytics-node/3.0.13");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(veil.log.events()).extracting(RawEvent::messageId).containsExactly("n1");
    }

    @Test
    void the_preflight_allows_every_header_the_browser_clients_send() {
        // analytics-next: Authorization, X-Retry-Count. RudderStack v3: AnonymousId, SentAt, Rsa-* on retries.
        for (IngestRoute route : IngestRoute.ALL) {
            HttpResponse<String> r = preflight(
                    route.path(),
                    TestServer.ORIGIN,
                    "authorization,content-type,x-retry-count,anonymousid,sentat,rsa-recovered,rsa-retry-attempt,"
                            + "rsa-since-last-attempt,rsa-since-first-attempt,rsa-retry-reason");

            assertThat(r.statusCode()).as(route.path()).isEqualTo(204);
            List<String> allowed = List.of(r.headers()
                    .firstValue("Access-Control-Allow-Headers")
                    .orElse("")
                    .toLowerCase(java.util.Locale.ROOT)
                    .split(",\\s*"));
            assertThat(allowed)
                    .as(route.path())
                    .contains(
                            "authorization",
                            "content-type",
                            "x-retry-count",
                            "anonymousid",
                            "sentat",
                            "rsa-recovered",
                            "rsa-retry-attempt",
                            "rsa-since-last-attempt",
                            "rsa-since-first-attempt",
                            "rsa-retry-reason");
            assertThat(r.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
                    .as(route.path())
                    .contains("POST");
        }
    }

    @Test
    void a_preflight_for_a_path_without_a_route_is_not_answered_as_if_it_existed() {
        HttpResponse<String> r = preflight("/v1/nothing", TestServer.ORIGIN, "authorization");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
    }

    @Test
    void preflights_are_not_counted_as_refused_events() {
        preflight("/v1/batch", TestServer.ORIGIN, "authorization");
        preflight("/v1/batch", "https://elsewhere.example", "authorization");
        preflight("/v1/t", TestServer.ORIGIN, "x-retry-count");

        assertThat(veil.server.stats().snapshot().rejected()).isZero();
        assertThat(veil.getManagement("/metrics").body()).doesNotContain("veil_ingest_rejected_total{");
    }

    @Test
    void analytics_next_delivery_metrics_are_accepted_and_discarded() {
        // analytics-next posts {"series": [...]} to <apiHost>/m; it holds counters about the library, no event.
        HttpResponse<String> r = veil.post(
                "/v1/m",
                "{\"series\":[{\"type\":\"Counter\",\"metric\":\"analytics_js.invoke.track\",\"value\":1,"
                        + "\"tags\":{\"library\":\"analytics.js\"}}]}",
                "Authorization",
                "-",
                "Content-Type",
                "text/plain");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(veil.log.events()).isEmpty();
        assertThat(veil.server.stats().snapshot().rejected()).isZero();
    }

    private RawEvent byMessageId(String id) {
        return veil.log.events().stream()
                .filter(e -> e.messageId().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private HttpResponse<String> preflight(String path, String origin, String requestHeaders) {
        return veil.send(HttpRequest.newBuilder(URI.create(veil.url(path)))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", requestHeaders)
                .build());
    }
}

package dev.veil.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IngestApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private TestServer veil =
            new TestServer(dev.veil.server.config.ServerConfig.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void stop() {
        veil.close();
    }

    @Test
    void stores_a_track_call_with_the_normalized_message_after_answering_success() throws Exception {
        HttpResponse<String> r = veil.post(
                "/v1/track",
                "{\"userId\":\"u1\",\"event\":\"Appointment Booked\",\"properties\":{\"service_line\":\"derm\"},"
                        + "\"messageId\":\"m-1\"}",
                "User-Agent",
                "TestAgent/1.0");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"success\":true}");
        assertThat(veil.log.events()).singleElement().satisfies(e -> {
            assertThat(e.sourceId()).isEqualTo("website");
            assertThat(e.messageId()).isEqualTo("m-1");
            assertThat(e.type()).isEqualTo(EventType.TRACK);
            assertThat(e.receivedAt()).isEqualTo(NOW);
            assertThat(e.timestamp()).isEqualTo(NOW);
            assertThat(e.userAgent()).isEqualTo("TestAgent/1.0");
            assertThat(e.clientIp()).isEqualTo("127.0.0.1");
            assertThat(e.gpc()).isFalse();
            assertThat(e.message().get("type").asText()).isEqualTo("track");
            assertThat(e.message().get("receivedAt").asText()).isEqualTo("2026-11-29T12:00:00Z");
            assertThat(e.message().at("/properties/service_line").asText()).isEqualTo("derm");
        });
    }

    @Test
    void accepts_the_write_key_in_a_text_plain_body_and_never_stores_it() {
        HttpResponse<String> r = veil.post(
                "/v1/page",
                "{\"writeKey\":\"" + TestServer.WRITE_KEY + "\",\"anonymousId\":\"a1\",\"name\":\"Home\"}",
                "Authorization",
                "-",
                "Content-Type",
                "text/plain;charset=UTF-8");

        assertThat(r.statusCode()).isEqualTo(200);
        RawEvent e = veil.log.events().get(0);
        assertThat(e.type()).isEqualTo(EventType.PAGE);
        assertThat(e.message().has("writeKey")).isFalse();
        assertThat(e.message().toString()).doesNotContain(TestServer.WRITE_KEY);
    }

    @Test
    void refuses_an_unknown_write_key_with_401() {
        HttpResponse<String> r =
                veil.post("/v1/track", "{\"userId\":\"u\",\"event\":\"E\"}", "Authorization", TestServer.basic("nope"));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("\"code\":\"unauthorized\"").contains("write key is not known");
        assertThat(veil.log.events()).isEmpty();
    }

    @Test
    void refuses_a_request_without_any_write_key_with_401() {
        HttpResponse<String> r = veil.post("/v1/track", "{\"userId\":\"u\",\"event\":\"E\"}", "Authorization", "-");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("write key is missing");
    }

    @Test
    void corrects_client_clock_skew_from_sent_at() {
        // The client clock runs 1 hour fast: sentAt says 13:00 while the server receives at 12:00.
        veil.post(
                "/v1/track",
                "{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2026-11-29T12:59:50Z\","
                        + "\"sentAt\":\"2026-11-29T13:00:00Z\"}");

        RawEvent e = veil.log.events().get(0);
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-29T11:59:50Z"));
        assertThat(e.message().get("timestamp").asText()).isEqualTo("2026-11-29T11:59:50Z");
        assertThat(e.message().get("originalTimestamp").asText()).isEqualTo("2026-11-29T12:59:50Z");
    }

    @Test
    void keeps_the_client_timestamp_when_sent_at_is_absent() {
        veil.post("/v1/track", "{\"userId\":\"u\",\"event\":\"E\",\"timestamp\":\"2026-11-28T08:00:00Z\"}");

        assertThat(veil.log.events().get(0).timestamp()).isEqualTo(Instant.parse("2026-11-28T08:00:00Z"));
    }

    @Test
    void generates_a_uuid_message_id_when_missing() {
        veil.post("/v1/identify", "{\"userId\":\"u\",\"traits\":{\"plan\":\"gold\"}}");

        RawEvent e = veil.log.events().get(0);
        assertThat(e.messageId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(e.message().get("messageId").asText()).isEqualTo(e.messageId());
    }

    @Test
    void accepts_the_valid_messages_of_a_batch_and_lists_the_refused_ones() throws Exception {
        HttpResponse<String> r = veil.post(
                "/v1/batch",
                "{\"batch\":["
                        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"A\",\"messageId\":\"b0\"},"
                        + "{\"type\":\"track\",\"userId\":\"u\",\"messageId\":\"b1\"},"
                        + "{\"type\":\"page\",\"anonymousId\":\"a\",\"messageId\":\"b2\"},"
                        + "{\"type\":\"teleport\",\"userId\":\"u\",\"messageId\":\"b3\"}"
                        + "]}");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("rejected")).hasSize(2);
        assertThat(body.at("/rejected/0/index").asInt()).isEqualTo(1);
        assertThat(body.at("/rejected/0/message").asText()).isEqualTo("batch[1].event: is required for a track call");
        assertThat(body.at("/rejected/1/index").asInt()).isEqualTo(3);
        assertThat(body.at("/rejected/1/message").asText()).startsWith("batch[3].type: is not one of");
        assertThat(veil.log.events()).extracting(RawEvent::messageId).containsExactly("b0", "b2");
    }

    @Test
    void a_message_with_an_extreme_timestamp_is_refused_alone_and_the_rest_of_the_batch_is_stored() throws Exception {
        HttpResponse<String> r = veil.post(
                "/v1/batch",
                "{\"sentAt\":\"-999999999-01-01T00:00:00Z\",\"batch\":["
                        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Far\","
                        + "\"timestamp\":\"+999999999-12-31T23:59:59Z\"},"
                        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Near\","
                        + "\"timestamp\":\"2026-11-29T11:59:00Z\",\"sentAt\":\"2026-11-29T11:59:30Z\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("rejected")).hasSize(1);
        assertThat(body.at("/rejected/0/index").asInt()).isZero();
        assertThat(body.at("/rejected/0/code").asText()).isEqualTo("invalid_message");
        assertThat(body.at("/rejected/0/message").asText())
                .isEqualTo("batch[0].timestamp: is outside years 0001 to 9999");
        assertThat(veil.log.events())
                .singleElement()
                .satisfies(e -> assertThat(e.message().get("event").asText()).isEqualTo("Near"));
    }

    @Test
    void a_message_with_a_duplicate_key_or_an_infinite_number_is_refused_alone() throws Exception {
        HttpResponse<String> r = veil.post(
                "/v1/batch",
                "{\"batch\":["
                        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Dup\",\"properties\":{\"a\":1,\"a\":2}},"
                        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Kept\",\"properties\":{\"n\":1.5e300}},"
                        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Inf\",\"properties\":{\"x\":[{\"n\":1e999999}]}},"
                        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"Last\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("rejected")).hasSize(2);
        assertThat(body.at("/rejected/0/index").asInt()).isZero();
        assertThat(body.at("/rejected/0/code").asText()).isEqualTo("duplicate_key");
        assertThat(body.at("/rejected/0/message").asText())
                .isEqualTo("batch[0].properties.a: appears twice in the same object");
        assertThat(body.at("/rejected/1/index").asInt()).isEqualTo(2);
        assertThat(body.at("/rejected/1/code").asText()).isEqualTo("number_out_of_range");
        assertThat(body.at("/rejected/1/message").asText())
                .startsWith("batch[2].properties.x[0].n: is a number beyond the range of a double");
        assertThat(veil.log.events())
                .extracting(e -> e.message().get("event").asText())
                .containsExactly("Kept", "Last");
        assertThat(veil.log.events().get(0).message().at("/properties/n").doubleValue())
                .isEqualTo(1.5e300);
    }

    @Test
    void import_is_an_alias_of_batch_and_batch_context_fills_each_message() {
        HttpResponse<String> r = veil.post(
                "/v1/import",
                "{\"context\":{\"library\":{\"name\":\"x\"}},\"batch\":[{\"type\":\"track\",\"userId\":\"u\","
                        + "\"event\":\"A\",\"context\":{\"locale\":\"en-US\"}}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode ctx = veil.log.events().get(0).message().get("context");
        assertThat(ctx.at("/library/name").asText()).isEqualTo("x");
        assertThat(ctx.get("locale").asText()).isEqualTo("en-US");
    }

    @Test
    void drops_a_repeated_message_id_so_retries_never_double_count() {
        String body = "{\"userId\":\"u\",\"event\":\"E\",\"messageId\":\"same\"}";
        assertThat(veil.post("/v1/track", body).statusCode()).isEqualTo(200);
        assertThat(veil.post("/v1/track", body).statusCode()).isEqualTo(200);

        assertThat(veil.log.events()).hasSize(1);
        assertThat(veil.server.stats().snapshot().duplicates()).isEqualTo(1);
    }

    @Test
    void accepts_a_gzip_body() throws IOException {
        HttpResponse<String> r = veil.post(
                "/v1/track", gzip("{\"userId\":\"u\",\"event\":\"Zipped\"}".getBytes()), "Content-Encoding", "gzip");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(veil.log.events().get(0).message().get("event").asText()).isEqualTo("Zipped");
    }

    @Test
    void every_message_of_a_batch_carries_the_requests_user_agent_address_and_gpc() {
        // The request's headers and address are read once per request, then given to each of its messages.
        HttpResponse<String> r = veil.post(
                "/v1/batch",
                "{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"A\"},"
                        + "{\"type\":\"page\",\"anonymousId\":\"a\"},"
                        + "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"B\","
                        + "\"context\":{\"userAgent\":\"CtxAgent/2\",\"ip\":\"198.51.100.9\"}}]}",
                "Sec-GPC",
                "1",
                "User-Agent",
                "BatchAgent/3");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(veil.log.events()).hasSize(3).allSatisfy(e -> {
            assertThat(e.userAgent()).isEqualTo("BatchAgent/3");
            assertThat(e.clientIp()).isEqualTo("127.0.0.1"); // not a trusted server source: context.ip is ignored
            assertThat(e.gpc()).isTrue();
        });
    }

    @Test
    void captures_global_privacy_control_and_falls_back_to_context_user_agent() {
        veil.post(
                "/v1/track",
                "{\"userId\":\"u\",\"event\":\"E\",\"context\":{\"userAgent\":\"CtxAgent/2\"}}",
                "Sec-GPC",
                "1",
                "User-Agent",
                "-");

        RawEvent e = veil.log.events().get(0);
        assertThat(e.gpc()).isTrue();
        // java.net.http always sends its own User-Agent; the header wins over context.userAgent when present.
        assertThat(e.userAgent()).isNotNull();
    }

    @Test
    void answers_503_and_acknowledges_nothing_when_the_event_log_fails() {
        veil.log.failAppends(true);

        HttpResponse<String> r = veil.post("/v1/track", "{\"userId\":\"u\",\"event\":\"E\"}");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("store_unavailable").doesNotContain("success");
    }

    @Test
    void refuses_a_post_from_an_origin_the_source_does_not_allow() {
        HttpResponse<String> allowed =
                veil.post("/v1/track", "{\"userId\":\"u\",\"event\":\"E\"}", "Origin", TestServer.ORIGIN);
        HttpResponse<String> refused =
                veil.post("/v1/track", "{\"userId\":\"u\",\"event\":\"E\"}", "Origin", "https://evil.example");

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains(TestServer.ORIGIN);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("origin_not_allowed");
        assertThat(veil.log.events()).hasSize(1);
    }

    @Test
    void exposes_health_readiness_and_prometheus_metrics() {
        veil.post("/v1/track", "{\"userId\":\"u\",\"event\":\"E\"}");
        veil.post("/v1/track", "{\"userId\":\"u\"}");

        assertThat(veil.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(veil.get("/readyz").statusCode()).isEqualTo(200);
        String metrics = veil.getManagement("/metrics").body();
        assertThat(metrics)
                .contains("veil_ingest_events_accepted_total 1.0")
                .contains("veil_ingest_rejected_total{reason=\"invalid_message\"} 1.0")
                .contains("veil_eventlog_append_seconds_bucket")
                .contains("veil_eventlog_depth 1.0")
                .contains("veil_ingest_request_bytes_count");
    }

    @Test
    void readiness_stays_ready_and_names_destinations_paused_for_refused_credentials() {
        assertThat(veil.get("/readyz").body()).isEqualTo("{\"status\":\"ready\"}");

        veil.server.reportPausedDestinations(() -> java.util.Map.of("meta", "meta: error code 190 (OAuthException)"));
        HttpResponse<String> r = veil.get("/readyz");

        assertThat(r.statusCode())
                .as("ingest still works; the events wait in the log")
                .isEqualTo(200);
        assertThat(r.body())
                .contains("\"status\":\"ready\"")
                .contains("\"paused_destinations\":{\"meta\":\"meta: error code 190 (OAuthException)\"}");
    }

    @Test
    void readiness_fails_when_the_event_log_is_unreachable() {
        veil.log.failAppends(true);

        HttpResponse<String> r = veil.get("/readyz");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("store_unavailable");
    }

    @Test
    void unknown_routes_answer_the_json_error_shape() {
        HttpResponse<String> r = veil.get("/v1/nothing");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("\"code\":\"not_found\"");
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}

package dev.veil.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeMetaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeMeta fake;

    @BeforeEach
    void start() {
        fake = FakeMeta.start("42", "tok");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private HttpResponse<String> send(String data) throws Exception {
        return Http.post(fake.baseUrl() + "/v27.0/42/events?access_token=tok", "{\"data\":[" + data + "]}");
    }

    private static String event(String id, long time) {
        return "{\"event_name\":\"Purchase\",\"event_time\":" + time + ",\"event_id\":\"" + id
                + "\",\"action_source\":\"website\",\"event_source_url\":\"https://x.example/\","
                + "\"user_data\":{\"external_id\":\"abc\",\"client_user_agent\":\"UA\"},"
                + "\"custom_data\":{\"value\":12.5,\"currency\":\"USD\",\"content_ids\":[\"p1\"]}}";
    }

    private static String lead(long time, String userData, String extra) {
        return "{\"event_name\":\"Lead\",\"event_time\":" + time + ",\"action_source\":\"other\",\"user_data\":"
                + userData + extra + "}";
    }

    @Test
    void accepts_valid_events_and_answers_events_received() throws Exception {
        long now = Instant.now().getEpochSecond();

        HttpResponse<String> response = send(event("a", now) + "," + event("b", now));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("events_received").asInt())
                .isEqualTo(2);
        assertThat(fake.accepted()).hasSize(2);
        assertThat(fake.incomplete()).isEmpty();
    }

    @Test
    void one_stale_event_fails_the_whole_request() throws Exception {
        long now = Instant.now().getEpochSecond();
        long old = Instant.now().minus(Duration.ofDays(8)).getEpochSecond();

        HttpResponse<String> response = send(event("a", now) + "," + event("b", old));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(100);
        assertThat(fake.accepted()).isEmpty();
        assertThat(fake.violations()).containsExactly("data[1].event_time: more than 7 days in the past");
    }

    @Test
    void website_events_need_a_user_agent_and_url_and_every_event_an_action_source() throws Exception {
        long now = Instant.now().getEpochSecond();

        send("{\"event_name\":\"Lead\",\"event_time\":" + now
                + ",\"action_source\":\"website\",\"user_data\":{\"external_id\":\"x\"}},"
                + "{\"event_name\":\"Lead\",\"event_time\":" + now + ",\"user_data\":{\"external_id\":\"x\"}}");

        assertThat(fake.violations())
                .containsExactly(
                        "data[0].event_source_url: required for website events",
                        "data[0].user_data.client_user_agent: required for website events",
                        "data[1].action_source: required");
    }

    @Test
    void rejects_missing_user_data_unhashed_email_and_bad_click_ids() throws Exception {
        long now = Instant.now().getEpochSecond();

        send(lead(now, "{}", "") + "," + lead(now, "{\"em\":\"a@b.c\",\"fbc\":\"clid\",\"fbp\":\"fb.1.17.x\"}", ""));

        assertThat(fake.violations())
                .containsExactly(
                        "data[0].user_data: required, at least one customer information parameter",
                        "data[1].user_data.em: must be a SHA-256 hex digest",
                        "data[1].user_data.fbc: must be fb.{subdomainIndex}.{creationTime}.{fbclid}[.{appendix}]",
                        "data[1].user_data.fbp: must be fb.{subdomainIndex}.{creationTime}.{random}[.{appendix}]");
    }

    @Test
    void accepts_the_five_part_cookies_metas_parameter_builder_writes() throws Exception {
        long now = Instant.now().getEpochSecond();

        HttpResponse<String> r = send(lead(
                        now,
                        "{\"fbc\":\"fb.1.1764000000000.IwAR2F4-dbP0l7Mn.Bg\",\"fbp\":\"fb.0.1764000000000.1098115397.AQ\"}",
                        "")
                + ","
                + lead(now, "{\"fbp\":\"fb.1.1764000000000.1098115397.AQYCAQAA\"}", ""));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(fake.violations()).isEmpty();
        assertThat(fake.accepted()).hasSize(2);
    }

    @Test
    void a_purchase_needs_a_value_and_an_iso_4217_currency() throws Exception {
        long now = Instant.now().getEpochSecond();

        send("{\"event_name\":\"Purchase\",\"event_time\":" + now + ",\"action_source\":\"other\","
                + "\"user_data\":{\"external_id\":\"x\"},\"custom_data\":{\"currency\":\"ABC\"}}");

        assertThat(fake.violations())
                .containsExactly(
                        "data[0].custom_data.currency: must be an ISO 4217 code",
                        "data[0].custom_data.value: required for Purchase");
    }

    @Test
    void records_catalog_events_that_name_no_product() throws Exception {
        long now = Instant.now().getEpochSecond();

        send("{\"event_name\":\"ViewContent\",\"event_time\":" + now
                + ",\"action_source\":\"other\",\"user_data\":{\"external_id\":\"x\"}}");

        assertThat(fake.violations()).isEmpty();
        assertThat(fake.incomplete()).containsExactly("data[0]: ViewContent names no product");
    }

    @Test
    void resolves_limited_data_use_location_from_the_state_or_else_from_an_address() throws Exception {
        long now = Instant.now().getEpochSecond();
        String ldu = ",\"data_processing_options\":[\"LDU\"],\"data_processing_options_country\":%d,"
                + "\"data_processing_options_state\":%d";

        send(lead(now, "{\"external_id\":\"x\"}", ldu.formatted(1, 1000)) + ","
                + lead(now, "{\"external_id\":\"x\"}", ldu.formatted(0, 0)) + ","
                + lead(now, "{\"external_id\":\"x\",\"client_ip_address\":\"198.51.100.7\"}", ldu.formatted(1, 0)));

        assertThat(fake.ldu())
                .containsExactly(
                        "US-CA",
                        "location geolocated from the sender's address",
                        "US, state geolocated from client_ip_address");
    }

    @Test
    void refuses_a_wrong_token_a_retired_version_and_an_unknown_pixel() throws Exception {
        HttpResponse<String> wrong = Http.post(fake.baseUrl() + "/v27.0/42/events?access_token=nope", "{\"data\":[]}");
        assertThat(JSON.readTree(wrong.body()).at("/error/code").asInt()).isEqualTo(190);

        HttpResponse<String> retired = Http.post(fake.baseUrl() + "/v21.0/42/events?access_token=tok", "{}");
        assertThat(JSON.readTree(retired.body()).at("/error/code").asInt()).isEqualTo(2635);

        HttpResponse<String> pixel = Http.post(fake.baseUrl() + "/v27.0/7/events?access_token=tok", "{}");
        assertThat(JSON.readTree(pixel.body()).at("/error/error_subcode").asInt())
                .isEqualTo(33);
    }

    @Test
    void refuses_more_than_1000_events() throws Exception {
        long now = Instant.now().getEpochSecond();
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append(event("e" + i, now));
        }
        assertThat(send(many.toString()).statusCode()).isEqualTo(400);
        assertThat(fake.violations()).contains("data: 1001 events; at most 1000");
    }
}

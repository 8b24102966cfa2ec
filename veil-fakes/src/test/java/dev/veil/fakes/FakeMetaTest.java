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
        return Http.post(fake.baseUrl() + "/v21.0/42/events?access_token=tok", "{\"data\":[" + data + "]}");
    }

    private static String event(String id, long time) {
        return "{\"event_name\":\"Purchase\",\"event_time\":" + time + ",\"event_id\":\"" + id
                + "\",\"action_source\":\"website\",\"event_source_url\":\"https://x.example/\","
                + "\"user_data\":{\"external_id\":\"abc\",\"client_user_agent\":\"UA\"}}";
    }

    @Test
    void accepts_valid_events_and_answers_events_received() throws Exception {
        long now = Instant.now().getEpochSecond();

        HttpResponse<String> response = send(event("a", now) + "," + event("b", now));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("events_received").asInt())
                .isEqualTo(2);
        assertThat(fake.accepted()).hasSize(2);
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
    void website_events_need_a_user_agent_and_url() throws Exception {
        long now = Instant.now().getEpochSecond();

        send("{\"event_name\":\"Lead\",\"event_time\":" + now
                + ",\"action_source\":\"website\",\"user_data\":{\"external_id\":\"x\"}}");

        assertThat(fake.violations())
                .containsExactly(
                        "data[0].event_source_url: required for website events",
                        "data[0].user_data.client_user_agent: required for website events");
    }

    @Test
    void rejects_missing_user_data_unhashed_email_and_bad_click_ids() throws Exception {
        long now = Instant.now().getEpochSecond();

        send("{\"event_name\":\"Lead\",\"event_time\":" + now + ",\"action_source\":\"other\",\"user_data\":{}},"
                + "{\"event_name\":\"Lead\",\"event_time\":" + now + ",\"action_source\":\"other\","
                + "\"user_data\":{\"em\":\"a@b.c\",\"fbc\":\"clid\"}}");

        assertThat(fake.violations())
                .containsExactly(
                        "data[0].user_data: required, at least one customer information parameter",
                        "data[1].user_data.em: must be a SHA-256 hex digest",
                        "data[1].user_data.fbc: must be fb.{subdomainIndex}.{creationTime}.{fbclid}");
    }

    @Test
    void refuses_a_wrong_token_with_code_190_and_more_than_1000_events() throws Exception {
        HttpResponse<String> wrong = Http.post(fake.baseUrl() + "/v21.0/42/events?access_token=nope", "{\"data\":[]}");
        assertThat(JSON.readTree(wrong.body()).get("error").get("code").asInt()).isEqualTo(190);

        long now = Instant.now().getEpochSecond();
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append(event("e" + i, now));
        }
        assertThat(send(many.toString()).statusCode()).isEqualTo(400);
        assertThat(fake.violations()).contains("data: 1001 events; at most 1000");
    }
}

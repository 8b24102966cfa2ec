package dev.veil.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeTiktokTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HASH = "a".repeat(64);
    private FakeTiktok fake;

    @BeforeEach
    void start() {
        fake = FakeTiktok.start("PX", "tok", 2, Duration.ofDays(7));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private JsonNode send(String token, String data) throws Exception {
        var response = Http.post(
                fake.baseUrl() + "/open_api/v1.3/event/track/",
                "{\"event_source\":\"web\",\"event_source_id\":\"PX\",\"data\":[" + data + "]}",
                Map.of("Access-Token", token));
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String event(String id, long time, String user) {
        return "{\"event\":\"Pageview\",\"event_time\":" + time + ",\"event_id\":\"" + id + "\",\"user\":" + user + "}";
    }

    @Test
    void accepts_valid_events_with_code_zero_and_counts_duplicates() throws Exception {
        long now = Instant.now().getEpochSecond();
        String e = event("a", now, "{\"external_id\":\"" + HASH + "\"}");

        assertThat(send("tok", e).get("code").asInt()).isZero();
        assertThat(send("tok", e).get("code").asInt()).isZero();

        assertThat(fake.accepted()).hasSize(2);
        assertThat(fake.duplicates()).isEqualTo(1);
    }

    @Test
    void answers_errors_inside_http_200() throws Exception {
        long now = Instant.now().getEpochSecond();

        assertThat(send("bad", event("a", now, "{\"ttp\":\"x\"}")).get("code").asInt())
                .isEqualTo(40105);
        assertThat(send("tok", event("a", now, "{\"external_id\":\"plain-id\"}"))
                        .get("code")
                        .asInt())
                .isEqualTo(40002);
        assertThat(fake.violations()).contains("data[0].user.external_id: must be SHA-256 hashed");
        assertThat(fake.accepted()).isEmpty();
    }

    @Test
    void enforces_batch_size_age_and_user_and_takes_any_ttclid() throws Exception {
        long now = Instant.now().getEpochSecond();
        long old = Instant.now().minus(Duration.ofDays(8)).getEpochSecond();

        send(
                "tok",
                event("a", now, "{\"ttp\":\"x\"}") + "," + event("b", now, "{\"ttp\":\"x\"}") + ","
                        + event("c", now, "{\"ttp\":\"x\"}"));
        send("tok", event("a", old, "{\"ttclid\":\"abc\"}") + "," + event("b", now, "{}"));
        // TikTok documents no prefix for ttclid (Events API 2.0 user parameters): any value is taken.
        JsonNode anyTtclid = send("tok", event("c", now, "{\"ttclid\":\"Qx12_lk.a\"}"));

        assertThat(fake.violations())
                .containsExactly(
                        "data: 3 events; at most 2",
                        "data[0].event_time: older than 7 days",
                        "data[1].user: required, at least one matching parameter");
        assertThat(anyTtclid.get("code").asInt()).isZero();
    }

    @Test
    void a_batch_with_some_invalid_events_is_a_partial_success_that_keeps_the_valid_ones() throws Exception {
        long now = Instant.now().getEpochSecond();

        JsonNode answer =
                send("tok", event("ok", now, "{\"ttp\":\"x\"}") + "," + event("bad", now, "{\"email\":\"a@b.c\"}"));

        assertThat(answer.get("code").asInt()).isEqualTo(20001);
        assertThat(fake.accepted()).extracting(e -> e.path("event_id").asText()).containsExactly("ok");
        assertThat(fake.violations()).containsExactly("data[1].user.email: must be SHA-256 hashed");
    }

    @Test
    void records_searches_without_search_string_and_catalog_events_without_content_ids() throws Exception {
        long now = Instant.now().getEpochSecond();

        send(
                "tok",
                "{\"event\":\"Search\",\"event_time\":" + now + ",\"user\":{\"ttp\":\"x\"},"
                        + "\"properties\":{\"query\":\"flu\"}},{\"event\":\"ViewContent\",\"event_time\":" + now
                        + ",\"user\":{\"ttp\":\"x\"}}");

        assertThat(fake.incomplete())
                .containsExactly(
                        "data[0]: Search without search_string", "data[1]: ViewContent without contents[].content_id");
    }
}

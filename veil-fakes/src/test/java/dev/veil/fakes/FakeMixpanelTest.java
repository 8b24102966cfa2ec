package dev.veil.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeMixpanelTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeMixpanel fake;

    @BeforeEach
    void start() {
        fake = FakeMixpanel.start("77", "tok", "sa", "sec");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private HttpResponse<String> send(String user, String query, String body) throws Exception {
        String auth = Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8));
        return Http.post(fake.baseUrl() + "/import?strict=1" + query, body, Map.of("Authorization", "Basic " + auth));
    }

    private static String event(String distinct, long time, String insert) {
        return "{\"event\":\"Signed Up\",\"properties\":{\"time\":" + time + ",\"distinct_id\":\"" + distinct
                + "\",\"$insert_id\":\"" + insert + "\"}}";
    }

    @Test
    void imports_valid_events_and_reports_invalid_ones_as_failed_records() throws Exception {
        long now = Instant.now().toEpochMilli();
        String body = "[" + event("u1", now, "a1") + "," + event("null", now, "a2") + "," + event("u3", now, "bad_id!")
                + "," + event("u4", now + 7_200_000, "a4") + "]";

        HttpResponse<String> response = send("tok:", "", body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.get("num_records_imported").asInt()).isEqualTo(1);
        assertThat(json.get("failed_records").findValuesAsText("field"))
                .containsExactly("properties.distinct_id", "properties.$insert_id", "properties.time");
        assertThat(json.get("failed_records").findValuesAsText("index")).containsExactly("1", "2", "3");
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void accepts_ndjson_and_counts_duplicates_by_the_four_part_key() throws Exception {
        long now = Instant.now().toEpochMilli();
        String body = event("u1", now, "a1") + "\n" + event("u1", now, "a1") + "\n" + event("u1", now, "a2");

        assertThat(send("tok:", "", body).statusCode()).isEqualTo(200);
        assertThat(fake.distinctDedupKeys()).isEqualTo(2);
        assertThat(fake.duplicates()).isEqualTo(1);
    }

    @Test
    void checks_credentials_project_id_and_sizes() throws Exception {
        long now = Instant.now().toEpochMilli();
        String one = "[" + event("u1", now, "a1") + "]";

        assertThat(send("wrong:", "", one).statusCode()).isEqualTo(401);
        assertThat(send("sa:sec", "", one).statusCode()).isEqualTo(400);
        assertThat(send("sa:sec", "&project_id=77", one).statusCode()).isEqualTo(200);
        assertThat(send("tok:", "", "[" + event("u1", now, "x".repeat(2_100_000)) + "]")
                        .statusCode())
                .isEqualTo(413);
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 2001; i++) {
            many.append(i == 0 ? "" : ",").append(event("u", now, "i" + i));
        }
        assertThat(send("tok:", "", many.append("]").toString()).statusCode()).isEqualTo(400);
        assertThat(fake.violations())
                .satisfiesExactly(
                        v -> assertThat(v).isEqualTo("authorization: invalid credentials"),
                        v -> assertThat(v).isEqualTo("project_id: required with a service account"),
                        v -> assertThat(v).matches("body: 21\\d{5} bytes; at most 2097152"),
                        v -> assertThat(v).isEqualTo("body: 2001 events; at most 2000"));
    }
}

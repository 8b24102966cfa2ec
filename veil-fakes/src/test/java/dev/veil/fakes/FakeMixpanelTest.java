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

    @Test
    void without_ip_0_missing_geolocation_is_the_senders_location_and_codes_are_not_region_names() throws Exception {
        long now = Instant.now().toEpochMilli();
        String located = "[{\"event\":\"A\",\"properties\":{\"time\":" + now + ",\"distinct_id\":\"u1\","
                + "\"$insert_id\":\"g1\",\"mp_country_code\":\"US\",\"$region\":\"CA\"}}]";

        assertThat(send("tok:", "", located).statusCode()).isEqualTo(200);
        assertThat(send("tok:", "&ip=0", "[" + event("u1", now, "g2") + "]").statusCode())
                .isEqualTo(200);

        assertThat(fake.incomplete())
                .containsExactly(
                        "events[0].$city: taken from the location of the request's sender",
                        "events[0].$region: a code; Mixpanel's geolocation writes region names (e.g. California)");
    }

    @Test
    void the_simplified_id_merge_joins_anonymous_events_to_the_user_retroactively() throws Exception {
        long now = Instant.now().toEpochMilli();
        String anonymous = "{\"event\":\"A\",\"properties\":{\"time\":" + now + ",\"distinct_id\":\"$device:d1\","
                + "\"$device_id\":\"d1\",\"$insert_id\":\"m1\"}}";
        String identified = "{\"event\":\"B\",\"properties\":{\"time\":" + now + ",\"distinct_id\":\"u1\","
                + "\"$device_id\":\"d1\",\"$user_id\":\"u1\",\"$insert_id\":\"m2\"}}";
        String unjoinable = "{\"event\":\"C\",\"properties\":{\"time\":" + now + ",\"distinct_id\":\"d2\","
                + "\"$device_id\":\"d2\",\"$insert_id\":\"m3\"}}";

        assertThat(send("tok:", "&ip=0", "[" + anonymous + "," + identified + "," + unjoinable + "]")
                        .statusCode())
                .isEqualTo(200);

        assertThat(fake.users()).containsExactly("d2", "u1");
        assertThat(fake.incomplete()).singleElement().asString().startsWith("events[2].distinct_id: an anonymous");
    }

    @Test
    void engage_sets_profile_properties_with_the_project_token() throws Exception {
        String update = "[{\"$token\":\"tok\",\"$distinct_id\":\"u1\",\"$set\":{\"plan\":\"basic\"}}]";

        assertThat(Http.post(fake.baseUrl() + "/engage?verbose=1&ip=0", update).body())
                .isEqualTo("{\"error\":null,\"status\":1}");
        assertThat(Http.post(fake.baseUrl() + "/engage?verbose=1", update.replace("\"tok\"", "\"x\""))
                        .statusCode())
                .isEqualTo(401);
        assertThat(Http.post(
                                fake.baseUrl() + "/engage?verbose=1&ip=0",
                                "[{\"$token\":\"tok\",\"$distinct_id\":\"u1\",\"$set\":{},\"$unset\":[\"a\"]}]")
                        .statusCode())
                .isEqualTo(400);

        assertThat(fake.profiles().get("u1").path("plan").asText()).isEqualTo("basic");
        assertThat(fake.incomplete()).isEmpty();
        assertThat(fake.violations())
                .containsExactly(
                        "$token: invalid",
                        "[0]: 2 operations; exactly one of "
                                + "[$add, $append, $delete, $remove, $set, $set_once, $union, $unset]");
    }
}

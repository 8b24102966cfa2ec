package dev.veil.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeAmplitudeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeAmplitude fake;

    @BeforeEach
    void start() {
        fake = FakeAmplitude.start("key", 3);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private HttpResponse<String> send(String events) throws Exception {
        return Http.post(fake.baseUrl() + "/2/httpapi", "{\"api_key\":\"key\",\"events\":[" + events + "]}");
    }

    private static String event(String device, String insert) {
        return "{\"event_type\":\"Signed Up\",\"device_id\":\"" + device + "\",\"insert_id\":\"" + insert + "\"}";
    }

    @Test
    void ingests_valid_events_and_counts_insert_id_duplicates() throws Exception {
        HttpResponse<String> response = send(event("device-1", "i1") + "," + event("device-1", "i1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("events_ingested").asInt())
                .isEqualTo(2);
        assertThat(fake.distinctDedupKeys()).isEqualTo(1);
        assertThat(fake.duplicates()).isEqualTo(1);
    }

    @Test
    void one_invalid_event_fails_the_request_with_field_indices() throws Exception {
        HttpResponse<String> response = send(event("device-1", "i1") + ",{\"event_type\":\"[Amplitude] Revenue\","
                + "\"user_id\":\"abc\"},{\"device_id\":\"device-3\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("events_with_invalid_fields").toString()).isEqualTo("{\"event_type\":[1],\"user_id\":[1]}");
        assertThat(body.get("events_with_missing_fields").toString()).isEqualTo("{\"event_type\":[2]}");
        assertThat(fake.accepted()).isEmpty();
    }

    @Test
    void refuses_a_wrong_key_large_bodies_and_bursts_per_device() throws Exception {
        assertThat(Http.post(fake.baseUrl() + "/2/httpapi", "{\"api_key\":\"nope\",\"events\":[]}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(send(event("device-1", "x".repeat(1024 * 1024))).statusCode())
                .isEqualTo(413);

        HttpResponse<String> burst = send(event("device-9", "a") + "," + event("device-9", "b") + ","
                + event("device-9", "c") + "," + event("device-9", "d"));

        assertThat(burst.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(burst.body()).get("throttled_devices").get(0).asText())
                .isEqualTo("device-9");
        assertThat(fake.accepted()).isEmpty();
    }

    @Test
    void counts_revenue_once_per_deduplicated_event_with_price_times_quantity_first() throws Exception {
        String order = "{\"event_type\":\"Order Completed\",\"device_id\":\"device-1\",\"insert_id\":\"o1\","
                + "\"revenue\":25.5}";
        String refund = "{\"event_type\":\"Order Refunded\",\"device_id\":\"device-2\",\"insert_id\":\"r1\","
                + "\"revenue\":-5,\"price\":-2,\"quantity\":3}";

        assertThat(send(order + "," + order + "," + refund).statusCode()).isEqualTo(200);

        assertThat(fake.revenue()).isEqualByComparingTo("19.5");
    }

    @Test
    void identify_events_carry_user_property_operations_only() throws Exception {
        String good = "{\"event_type\":\"$identify\",\"user_id\":\"user-1\",\"insert_id\":\"i1\","
                + "\"user_properties\":{\"$set\":{\"plan\":\"basic\"}}}";
        String mixed = "{\"event_type\":\"$identify\",\"user_id\":\"user-2\",\"insert_id\":\"i2\","
                + "\"user_properties\":{\"$set\":{\"a\":1},\"plan\":\"x\"}}";

        assertThat(send(good).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = send(mixed);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body())
                        .get("events_with_invalid_fields")
                        .toString())
                .isEqualTo("{\"user_properties\":[0]}");
        assertThat(fake.userProperties().get("user-1").path("plan").asText()).isEqualTo("basic");
    }

    @Test
    void a_web_event_with_an_operating_system_as_os_name_is_reported_apart_from_the_browser_sdk() throws Exception {
        String os = "{\"event_type\":\"A\",\"device_id\":\"device-1\",\"insert_id\":\"w1\",\"platform\":\"Web\","
                + "\"os_name\":\"Windows\"}";
        String browser = "{\"event_type\":\"A\",\"device_id\":\"device-2\",\"insert_id\":\"w2\","
                + "\"platform\":\"Web\",\"os_name\":\"Chrome\",\"device_model\":\"Windows\"}";

        assertThat(send(os + "," + browser).statusCode()).isEqualTo(200);

        assertThat(fake.incomplete()).singleElement().asString().startsWith("events[0].os_name");
    }
}

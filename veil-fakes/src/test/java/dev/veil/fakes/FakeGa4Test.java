package dev.veil.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeGa4Test {

    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeGa4 fake;

    @BeforeEach
    void start() {
        fake = FakeGa4.start("G-T", "sec");
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private String collect() {
        return fake.baseUrl() + "/mp/collect?measurement_id=G-T&api_secret=sec";
    }

    private JsonNode debug(String body) throws Exception {
        return JSON.readTree(Http.post(fake.baseUrl() + "/debug/mp/collect?measurement_id=G-T&api_secret=sec", body)
                        .body())
                .get("validationMessages");
    }

    @Test
    void answers_204_to_malformed_data_but_records_the_violation_and_keeps_nothing() throws Exception {
        var response = Http.post(collect(), "{\"events\":[{\"name\":\"sign_up\"}]}");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(fake.violations()).containsExactly("client_id: required for web streams");
        assertThat(fake.accepted()).isEmpty();
    }

    @Test
    void records_a_wrong_api_secret() throws Exception {
        Http.post(
                fake.baseUrl() + "/mp/collect?measurement_id=G-T&api_secret=bad",
                "{\"client_id\":\"c\",\"events\":[{\"name\":\"a\"}]}");

        assertThat(fake.violations()).singleElement().asString().startsWith("api_secret");
    }

    @Test
    void the_debug_endpoint_reports_reserved_and_invalid_names() throws Exception {
        JsonNode messages = debug("{\"client_id\":\"c\",\"events\":[{\"name\":\"session_start\"},"
                + "{\"name\":\"ok\",\"params\":{\"ga_x\":1,\"bad-name\":2}}]}");

        assertThat(messages.findValuesAsText("fieldPath"))
                .containsExactlyInAnyOrder("events[0].name", "events[1].params.ga_x", "events[1].params.bad-name");
        assertThat(messages.findValuesAsText("validationCode")).contains("NAME_RESERVED", "NAME_INVALID");
        assertThat(fake.accepted()).isEmpty();
    }

    @Test
    void enforces_counts_lengths_and_event_age() throws Exception {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            events.append(i == 0 ? "" : ",").append("{\"name\":\"e").append(i).append("\"}");
        }
        assertThat(debug("{\"client_id\":\"c\",\"events\":[" + events + "]}").findValuesAsText("validationCode"))
                .containsExactly("EXCEEDED_MAX_ENTITIES");

        String longValue = "x".repeat(101);
        assertThat(debug("{\"client_id\":\"c\",\"events\":[{\"name\":\"a\",\"params\":{\"p\":\"" + longValue
                                + "\",\"page_title\":\"" + "t".repeat(300) + "\"}}]}")
                        .findValuesAsText("fieldPath"))
                .containsExactly("events[0].params.p");

        long old = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now().minus(Duration.ofHours(73)));
        assertThat(debug("{\"client_id\":\"c\",\"events\":[{\"name\":\"a\",\"timestamp_micros\":" + old + "}]}")
                        .findValuesAsText("description"))
                .containsExactly("older than 72 hours");
    }

    @Test
    void enforces_location_device_and_user_property_formats() throws Exception {
        JsonNode messages = debug("{\"client_id\":\"c\",\"user_location\":{\"country_id\":\"usa\","
                + "\"region_id\":\"California\"},\"device\":{\"screen_resolution\":\"big\"},"
                + "\"user_properties\":{\"first_open_time\":{\"value\":1},\"plan\":{\"value\":\"" + "v".repeat(37)
                + "\"}},\"events\":[{\"name\":\"a\"}]}");

        assertThat(messages.findValuesAsText("fieldPath"))
                .containsExactlyInAnyOrder(
                        "user_location.country_id",
                        "user_location.region_id",
                        "device.screen_resolution",
                        "user_properties.first_open_time",
                        "user_properties.plan.value");
    }

    @Test
    void counts_duplicates_of_the_same_event() throws Exception {
        String body = "{\"client_id\":\"c\",\"events\":[{\"name\":\"a\",\"timestamp_micros\":"
                + ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()) + "}]}";

        Http.post(collect(), body);
        Http.post(collect(), body);

        assertThat(fake.accepted()).hasSize(2);
        assertThat(fake.distinctDedupKeys()).isEqualTo(1);
        assertThat(fake.duplicates()).isEqualTo(1);
    }
}

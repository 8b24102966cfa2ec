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
    private static final String CLIENT = "\"client_id\":\"1234567890.1764000000\"";
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
                "{" + CLIENT + ",\"events\":[{\"name\":\"a\"}]}");

        assertThat(fake.violations()).singleElement().asString().startsWith("api_secret");
    }

    @Test
    void a_reserved_event_is_lost_but_the_rest_of_the_request_is_kept() throws Exception {
        Http.post(
                collect(),
                "{" + CLIENT + ",\"events\":[{\"name\":\"user_engagement\"},{\"name\":\"screen_view\"},"
                        + "{\"name\":\"sign_up\"}]}");

        assertThat(fake.accepted()).extracting(e -> e.path("name").asText()).containsExactly("sign_up");
        assertThat(fake.violations())
                .containsExactly(
                        "events[0].name: event name is reserved",
                        "events[1].name: screen_view is reserved; GA4 collects it for app streams only");
    }

    @Test
    void reserved_prefix_and_surplus_parameters_are_dropped_and_the_event_kept_in_relaxed_mode() throws Exception {
        StringBuilder params = new StringBuilder("\"ga_x\":1,\"firebase_y\":2");
        for (int i = 0; i < 27; i++) {
            params.append(",\"p").append(i).append("\":").append(i);
        }
        Http.post(collect(), "{" + CLIENT + ",\"events\":[{\"name\":\"a\",\"params\":{" + params + "}}]}");

        assertThat(fake.violations()).isEmpty();
        assertThat(fake.accepted()).singleElement().satisfies(e -> {
            assertThat(e.path("params").size()).isEqualTo(25);
            assertThat(e.path("params").has("ga_x")).isFalse();
        });
        assertThat(fake.dropped()).hasSize(4).contains("events[0].params.ga_x: parameter name has a reserved prefix");
    }

    @Test
    void enforcing_recommendations_loses_the_event_instead() throws Exception {
        long old = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now().minus(Duration.ofHours(73)));
        Http.post(
                collect(),
                "{" + CLIENT + ",\"validation_behavior\":\"ENFORCE_RECOMMENDATIONS\",\"events\":["
                        + "{\"name\":\"a\",\"params\":{\"ga_x\":1}},{\"name\":\"b\",\"timestamp_micros\":" + old
                        + "}]}");

        assertThat(fake.accepted()).isEmpty();
        assertThat(fake.violations())
                .containsExactly(
                        "events[0].params.ga_x: parameter name has a reserved prefix",
                        "events[1].timestamp_micros: older than 72 hours");
    }

    @Test
    void an_event_older_than_72_hours_is_clamped_in_relaxed_mode() throws Exception {
        long old = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now().minus(Duration.ofHours(80)));
        Http.post(collect(), "{" + CLIENT + ",\"events\":[{\"name\":\"a\",\"timestamp_micros\":" + old + "}]}");

        assertThat(fake.accepted()).hasSize(1);
        assertThat(fake.clamped()).containsExactly("events[0].timestamp_micros");
    }

    @Test
    void events_ga4_keeps_but_reports_wrongly_are_violations() throws Exception {
        Http.post(
                collect(),
                "{\"client_id\":\"visitor-7\",\"events\":[{\"name\":\"view_item\",\"params\":{\"value\":3}},"
                        + "{\"name\":\"purchase\",\"params\":{\"value\":9,\"currency\":\"USD\",\"items\":"
                        + "[{\"item_id\":\"s\"}]}},{\"name\":\"page_view\",\"params\":{\"session_id\":17}}]}");

        assertThat(fake.accepted()).hasSize(3);
        assertThat(fake.incomplete()).containsExactly("events[0].params.items: required for view_item");
        assertThat(fake.violations())
                .containsExactly(
                        "client_id: not in the form GA's tag writes (two integers joined by a period)",
                        "events[0].params.currency: required with value (ISO 4217)",
                        "events[1].params.transaction_id: required for purchase",
                        "events[2].params.engagement_time_msec: required (at least 1) with session_id, or the user"
                                + " is missing from sessions and Realtime");
    }

    @Test
    void the_debug_endpoint_reports_reserved_names_and_dropped_parameters() throws Exception {
        JsonNode messages = debug("{" + CLIENT + ",\"events\":[{\"name\":\"session_start\"},"
                + "{\"name\":\"ok\",\"params\":{\"ga_x\":1,\"bad-name\":2}}]}");

        assertThat(messages.findValuesAsText("fieldPath"))
                .containsExactlyInAnyOrder("events[0].name", "events[1].params.ga_x", "events[1].params.bad-name");
        assertThat(messages.findValuesAsText("validationCode")).contains("NAME_RESERVED", "NAME_INVALID");
        assertThat(fake.accepted()).isEmpty();
    }

    @Test
    void enforces_counts_and_lengths() throws Exception {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            events.append(i == 0 ? "" : ",").append("{\"name\":\"e").append(i).append("\"}");
        }
        assertThat(debug("{" + CLIENT + ",\"events\":[" + events + "]}").findValuesAsText("validationCode"))
                .containsExactly("EXCEEDED_MAX_ENTITIES");

        String longValue = "x".repeat(101);
        assertThat(debug("{" + CLIENT + ",\"events\":[{\"name\":\"a\",\"params\":{\"p\":\"" + longValue
                                + "\",\"page_title\":\"" + "t".repeat(300) + "\"}}]}")
                        .findValuesAsText("fieldPath"))
                .containsExactly("events[0].params.p");
    }

    @Test
    void enforces_location_device_and_user_property_formats() throws Exception {
        JsonNode messages = debug("{" + CLIENT + ",\"user_location\":{\"country_id\":\"usa\","
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
    void counts_duplicates_of_the_same_event_and_of_the_same_transaction() throws Exception {
        String body = "{" + CLIENT + ",\"events\":[{\"name\":\"a\",\"timestamp_micros\":"
                + ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()) + "}]}";
        String purchase = "{" + CLIENT + ",\"events\":[{\"name\":\"purchase\",\"timestamp_micros\":%d,\"params\":"
                + "{\"transaction_id\":\"o-1\",\"items\":[{\"item_id\":\"s\"}]}}]}";

        Http.post(collect(), body);
        Http.post(collect(), body);
        long now = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        Http.post(collect(), purchase.formatted(now));
        Http.post(collect(), purchase.formatted(now + 1));

        assertThat(fake.accepted()).hasSize(4);
        assertThat(fake.distinctDedupKeys()).isEqualTo(2);
        assertThat(fake.duplicates()).isEqualTo(2);
    }
}

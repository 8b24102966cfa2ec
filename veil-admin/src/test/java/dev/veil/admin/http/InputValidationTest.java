package dev.veil.admin.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.admin.AdminHarness;
import dev.veil.admin.AdminHarness.Caller;
import dev.veil.admin.auth.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a 4xx naming the field and limit, never echoing the value, in the one error shape. */
class InputValidationTest {

    @TempDir
    Path dir;

    private AdminHarness h;
    private Caller owner;

    @BeforeEach
    void start() {
        h = new AdminHarness(dir);
        owner = h.session(Role.OWNER);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void unknown_fields_are_refused_by_name() {
        HttpResponse<String> r =
                h.post(owner, "/api/v1/sources", "{\"id\":\"web\",\"name\":\"W\",\"writeKey\":\"mine\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .isEqualTo("{\"error\":{\"code\":\"unknown_field\",\"message\":\"field 'writeKey' is not"
                        + " accepted here; accepted: id, name, allowedOrigins\"}}");
    }

    @Test
    void missing_and_mistyped_fields_are_named() {
        assertThat(h.post(owner, "/api/v1/sources", "{\"id\":\"web\"}").body()).contains("field 'name' is required");
        assertThat(h.post(owner, "/api/v1/sources", "{\"id\":\"web\",\"name\":7}")
                        .body())
                .contains("field 'name': expected a string");
        assertThat(h.post(owner, "/api/v1/sources", "{\"id\":\"web\",\"name\":\"W\",\"allowedOrigins\":[1]}")
                        .body())
                .contains("field 'allowedOrigins[0]': expected a string");
    }

    @Test
    void over_long_values_are_refused_with_the_limit_and_without_the_value() {
        String name = "PATIENT-" + "x".repeat(300);
        HttpResponse<String> r = h.post(owner, "/api/v1/sources", "{\"id\":\"web\",\"name\":\"" + name + "\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body())
                .contains("field 'name': is 308 characters; the limit is 200")
                .doesNotContain("PATIENT");
    }

    @Test
    void a_bad_origin_names_its_index() {
        HttpResponse<String> r = h.post(
                owner,
                "/api/v1/sources",
                "{\"id\":\"web\",\"name\":\"W\",\"allowedOrigins\":[\"https://ok.example\",\"https://x.example/path\"]}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("allowedOrigins[1]");
    }

    @Test
    void bodies_must_be_json_objects_of_bounded_size() {
        HttpResponse<String> text = h.send(owner, "POST", "/api/v1/sources", null, "Content-Type", "text/plain");
        assertThat(text.statusCode()).isEqualTo(415);
        assertThat(h.post(owner, "/api/v1/sources", "[1,2]").body()).contains("invalid_json");
        assertThat(h.post(owner, "/api/v1/sources", "{\"id\":").body()).contains("not valid JSON");
        HttpResponse<String> huge =
                h.post(owner, "/api/v1/policy/validate", "{\"yaml\":\"" + "a".repeat(3_000_000) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
    }

    @Test
    void query_and_path_parameters_are_checked() {
        assertThat(h.get(owner, "/api/v1/audit?limit=5000").body())
                .contains("query parameter 'limit': must be 1..1000");
        assertThat(h.get(owner, "/api/v1/drafts/abc").body()).contains("path parameter 'id': expected a number");
    }

    @Test
    void a_route_without_a_body_refuses_one() {
        h.post(owner, "/api/v1/sources", "{\"id\":\"web\",\"name\":\"W\"}");
        HttpResponse<String> r = h.post(owner, "/api/v1/sources/web/rotate-key", "{\"x\":1}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("takes no body");
    }
}

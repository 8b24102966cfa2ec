package dev.veil.admin.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.admin.AdminHarness;
import dev.veil.admin.AdminHarness.Caller;
import dev.veil.admin.auth.Role;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/openapi.json} checked with the swagger-parser (a real OpenAPI 3 validator) and against the routes
 * the server actually answers: every documented operation is served, every route is documented, and a
 * documented required field is really required.
 */
class OpenApiTest {

    @TempDir
    Path dir;

    private AdminHarness h;
    private OpenAPI doc;

    @BeforeEach
    void start() {
        h = new AdminHarness(dir);
        HttpResponse<String> r = h.get(Caller.ANONYMOUS, "/api/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(r.body(), null, options);
        assertThat(parsed.getMessages()).as("OpenAPI validation messages").isEmpty();
        doc = parsed.getOpenAPI();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private Set<String> documented() {
        Set<String> out = new TreeSet<>();
        doc.getPaths()
                .forEach(
                        (path, item) -> item.readOperationsMap().keySet().forEach(m -> out.add(m.name() + " " + path)));
        return out;
    }

    @Test
    void documents_exactly_the_route_table() {
        Set<String> routes =
                new TreeSet<>(h.api.routes().stream().map(Route::key).toList());
        assertThat(documented()).isEqualTo(routes);
    }

    @Test
    void every_documented_operation_is_served() {
        Caller owner = h.session(Role.OWNER);
        for (String op : documented()) {
            String method = op.substring(0, op.indexOf(' '));
            String path = op.substring(op.indexOf(' ') + 1).replaceAll("\\{[a-z]+}", "1");
            if (op.endsWith("/auth/logout")) {
                continue;
            }
            HttpResponse<String> r = h.send(
                    owner,
                    method,
                    path,
                    op.contains("POST") || op.contains("PUT") || op.contains("PATCH") ? "{}" : null);
            assertThat(r.statusCode()).as(op).isNotEqualTo(405);
            assertThat(r.body()).as(op).doesNotContain("no route for").doesNotContain("Endpoint " + method);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(op).isNotEmpty();
        }
    }

    @Test
    void documented_required_fields_are_required_and_bodies_refuse_other_fields() {
        Caller owner = h.session(Role.OWNER);
        for (Map.Entry<String, PathItem> e : doc.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op :
                    e.getValue().readOperationsMap().entrySet()) {
                if (op.getValue().getRequestBody() == null) {
                    continue;
                }
                var schema = op.getValue()
                        .getRequestBody()
                        .getContent()
                        .get("application/json")
                        .getSchema();
                assertThat(schema.getAdditionalProperties()).as(e.getKey()).isEqualTo(false);
                if (schema.getRequired() == null || e.getKey().startsWith("/api/v1/auth/login")) {
                    continue;
                }
                String path = e.getKey().replaceAll("\\{[a-z]+}", "1");
                HttpResponse<String> r = h.send(owner, op.getKey().name(), path, "{}");
                assertThat(r.statusCode()).as(op.getKey() + " " + e.getKey()).isEqualTo(400);
                var m = java.util.regex.Pattern.compile("field '([A-Za-z]+)' is required")
                        .matcher(r.body());
                assertThat(m.find())
                        .as(op.getKey() + " " + e.getKey() + ": " + r.body())
                        .isTrue();
                assertThat(schema.getRequired())
                        .as(op.getKey() + " " + e.getKey())
                        .contains(m.group(1));
            }
        }
    }

    @Test
    void each_operation_states_its_permission() {
        doc.getPaths()
                .forEach((path, item) -> item.readOperationsMap()
                        .forEach((m, op) -> assertThat(op.getExtensions())
                                .as(m + " " + path)
                                .containsKey("x-veil-permission")));
    }
}

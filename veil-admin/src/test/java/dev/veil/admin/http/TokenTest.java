package dev.veil.admin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.admin.AdminHarness;
import dev.veil.admin.AdminHarness.Caller;
import dev.veil.admin.auth.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API tokens: shown once, stored hashed, role-scoped, expiring, revoked with immediate effect, use audited. */
class TokenTest {

    @TempDir
    Path dir;

    private AdminHarness h;

    @BeforeEach
    void start() {
        h = new AdminHarness(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private Caller create(Caller owner, String role, int days) throws Exception {
        HttpResponse<String> r = h.post(
                owner, "/api/v1/tokens", "{\"name\":\"ci\",\"role\":\"" + role + "\",\"expiresInDays\":" + days + "}");
        assertThat(r.statusCode()).isEqualTo(201);
        var json = new ObjectMapper().readTree(r.body());
        return new Caller(
                null,
                null,
                json.get("value").asText(),
                json.get("token").get("id").asText(),
                Role.EDITOR);
    }

    @Test
    void a_token_is_shown_once_stored_hashed_and_revocation_takes_effect_immediately() throws Exception {
        Caller owner = h.session(Role.OWNER);
        Caller token = create(owner, "editor", 30);

        assertThat(token.bearer()).startsWith("veil_");
        assertThat(h.get(owner, "/api/v1/tokens").body())
                .doesNotContain(token.bearer().substring(token.bearer().lastIndexOf('_') + 1));
        assertThat(h.stores.accounts().apiToken(token.name()).orElseThrow().secretHash())
                .doesNotContain(token.bearer());
        assertThat(h.post(token, "/api/v1/sources", "{\"id\":\"web\",\"name\":\"Web\"}")
                        .statusCode())
                .isEqualTo(201);

        assertThat(h.send(owner, "DELETE", "/api/v1/tokens/" + token.name(), null)
                        .statusCode())
                .isEqualTo(204);
        HttpResponse<String> after = h.get(token, "/api/v1/sources");
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.body()).contains("invalid_token");
    }

    @Test
    void a_token_stops_at_its_expiry() throws Exception {
        Caller token = create(h.session(Role.OWNER), "viewer", 1);
        assertThat(h.get(token, "/api/v1/sources").statusCode()).isEqualTo(200);

        h.clock.advance(Duration.ofDays(1).plusSeconds(1));
        assertThat(h.get(token, "/api/v1/sources").statusCode()).isEqualTo(401);
    }

    @Test
    void a_token_acts_with_its_role_and_never_as_a_person() throws Exception {
        Caller viewer = create(h.session(Role.OWNER), "viewer", 30);
        Caller ownerToken = create(h.session(Role.OWNER), "owner", 30);

        assertThat(h.post(viewer, "/api/v1/sources", "{\"id\":\"web\",\"name\":\"Web\"}")
                        .statusCode())
                .isEqualTo(403);
        assertThat(h.get(ownerToken, "/api/v1/users").statusCode())
                .as("managing people needs a person")
                .isEqualTo(403);
        assertThat(h.post(ownerToken, "/api/v1/tokens", "{\"name\":\"x\",\"role\":\"owner\"}")
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void every_token_use_is_audited_with_the_route() throws Exception {
        Caller token = create(h.session(Role.OWNER), "viewer", 30);
        h.get(token, "/api/v1/sources");

        assertThat(h.stores.audit().latest(10, "token.use")).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("token:" + token.name());
            assertThat(e.target()).isEqualTo("GET /api/v1/sources");
        });
    }

    @Test
    void a_malformed_or_unknown_token_is_refused() {
        Caller bogus = new Caller(null, null, "veil_nope_nothing", "x", Role.VIEWER);
        assertThat(h.get(bogus, "/api/v1/sources").statusCode()).isEqualTo(401);
        Caller basic = new Caller(null, null, null, "x", Role.VIEWER);
        assertThat(h.send(basic, "GET", "/api/v1/sources", null, "Authorization", "Basic abc")
                        .statusCode())
                .isEqualTo(401);
    }
}

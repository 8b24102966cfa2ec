package dev.veil.admin.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.admin.AdminHarness;
import dev.veil.admin.AdminHarness.Caller;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import dev.veil.admin.auth.Totp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Setup links, logins with TOTP and recovery codes, lockout, session cookies and timeouts, CSRF. */
class AuthFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

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

    private String login(String user, String password, String totp) {
        return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\""
                + (totp == null ? "" : ",\"totp\":\"" + totp + "\"") + "}";
    }

    private String code(String user, long stepOffset) {
        Totp totp = h.auth().totp();
        return totp.code(h.totpSecret(user), totp.currentStep() + stepOffset);
    }

    @Test
    void a_setup_link_sets_password_and_totp_once_and_signs_in() throws Exception {
        String token = h.services.bootstrapOwner("admin").orElseThrow();
        assertThat(h.services.bootstrapOwner("admin")).isEmpty();

        HttpResponse<String> start =
                h.post(Caller.ANONYMOUS, "/api/v1/auth/setup/start", "{\"token\":\"" + token + "\"}");
        assertThat(start.statusCode()).isEqualTo(200);
        JsonNode s = JSON.readTree(start.body());
        assertThat(s.get("role").asText()).isEqualTo("owner");
        assertThat(s.get("totpRequired").asBoolean()).isTrue();
        assertThat(s.get("totpUri").asText()).startsWith("otpauth://totp/");
        String secret = s.get("totpSecret").asText();

        HttpResponse<String> noTotp = h.post(
                Caller.ANONYMOUS,
                "/api/v1/auth/setup/finish",
                "{\"token\":\"" + token + "\",\"password\":\"a long enough password\"}");
        assertThat(noTotp.statusCode()).isEqualTo(400);
        assertThat(noTotp.body()).contains("field 'totp' is required");

        String code = h.auth().totp().code(secret, h.auth().totp().currentStep());
        HttpResponse<String> done = h.post(
                Caller.ANONYMOUS,
                "/api/v1/auth/setup/finish",
                "{\"token\":\"" + token + "\",\"password\":\"a long enough password\",\"totp\":\"" + code + "\"}");
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(done.body()).get("recoveryCodes")).hasSize(10);
        assertThat(AdminHarness.setCookie(done)).contains("HttpOnly").contains("SameSite=Strict");

        HttpResponse<String> again =
                h.post(Caller.ANONYMOUS, "/api/v1/auth/setup/start", "{\"token\":\"" + token + "\"}");
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.body()).contains("setup_link_invalid");
    }

    @Test
    void a_setup_link_expires() {
        String token = h.services.bootstrapOwner("admin").orElseThrow();
        h.clock.advance(Duration.ofHours(25));

        assertThat(h.post(Caller.ANONYMOUS, "/api/v1/auth/setup/start", "{\"token\":\"" + token + "\"}")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void login_sets_a_strict_http_only_cookie_without_secure_on_plain_http_and_rotates_the_session() throws Exception {
        String user = h.createUser(Role.EDITOR);
        HttpResponse<String> first =
                h.post(Caller.ANONYMOUS, "/api/v1/auth/login", login(user, AdminHarness.password(user), null));
        assertThat(first.statusCode()).isEqualTo(200);
        String cookie = AdminHarness.setCookie(first);
        assertThat(cookie)
                .startsWith("veil_session=")
                .contains("; HttpOnly")
                .contains("; SameSite=Strict")
                .contains("Path=/")
                .doesNotContain("Secure");
        Caller a = h.login(user, Role.EDITOR, null);
        assertThat(h.get(a, "/api/v1/me").statusCode()).isEqualTo(200);

        // Logging in again with the old cookie ends the old session (rotation).
        HttpResponse<String> second =
                h.send(a, "POST", "/api/v1/auth/login", login(user, AdminHarness.password(user), null));
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(AdminHarness.setCookie(second)).doesNotContain(a.cookie());
        assertThat(h.get(a, "/api/v1/me").statusCode()).isEqualTo(401);
    }

    @Test
    void sessions_end_after_the_idle_and_the_absolute_timeout() throws Exception {
        String user = h.createUser(Role.VIEWER);
        Caller idle = h.login(user, Role.VIEWER, null);
        h.clock.advance(Duration.ofMinutes(29));
        assertThat(h.get(idle, "/api/v1/me").statusCode()).isEqualTo(200);
        h.clock.advance(Duration.ofMinutes(29));
        assertThat(h.get(idle, "/api/v1/me").statusCode()).isEqualTo(200);
        h.clock.advance(Duration.ofMinutes(31));
        HttpResponse<String> expired = h.get(idle, "/api/v1/me");
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.body()).contains("session_expired");

        Caller busy = h.login(user, Role.VIEWER, null);
        for (int i = 0; i < 25; i++) {
            h.clock.advance(Duration.ofMinutes(29));
            h.get(busy, "/api/v1/me");
        }
        assertThat(h.get(busy, "/api/v1/me").statusCode())
                .as("12 h absolute timeout")
                .isEqualTo(401);
    }

    @Test
    void five_wrong_passwords_lock_the_account_for_fifteen_minutes_even_for_the_right_password() throws Exception {
        String user = h.createUser(Role.EDITOR);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r =
                    h.post(Caller.ANONYMOUS, "/api/v1/auth/login", login(user, "wrong password!", null));
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("invalid_credentials");
        }
        HttpResponse<String> locked =
                h.post(Caller.ANONYMOUS, "/api/v1/auth/login", login(user, AdminHarness.password(user), null));
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.body()).contains("account_locked").contains("15 more minute");

        h.clock.advance(Duration.ofMinutes(16));
        assertThat(h.post(Caller.ANONYMOUS, "/api/v1/auth/login", login(user, AdminHarness.password(user), null))
                        .statusCode())
                .isEqualTo(200);
        assertThat(h.stores.audit().latest(50, "auth.lockout")).hasSize(1);
    }

    @Test
    void unknown_users_get_the_same_answer_as_wrong_passwords() {
        HttpResponse<String> r =
                h.post(Caller.ANONYMOUS, "/api/v1/auth/login", login("nobody", "whatever-password", null));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("wrong user name, password or code");
    }

    @Test
    void totp_codes_are_accepted_one_step_either_side_and_refused_two_steps_away() {
        String user = h.createUser(Role.PRIVACY_OFFICER);
        String pw = AdminHarness.password(user);
        h.clock.advance(Duration.ofMinutes(5));

        assertThat(h.post(Caller.ANONYMOUS, "/api/v1/auth/login", login(user, pw, code(user, -2)))
                        .statusCode())
                .isEqualTo(401);
        assertThat(h.post(Caller.ANONYMOUS, "/api/v1/auth/login", login(user, pw, code(user, 2)))
                        .statusCode())
                .isEqualTo(401);
        assertThat(h.post(Caller.ANONYMOUS, "/api/v1/auth/login", login(user, pw, code(user, -1)))
                        .statusCode())
                .isEqualTo(200);
        assertThat(h.post(Caller.ANONYMOUS, "/api/v1/auth/login", login(user, pw, code(user, 1)))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void a_totp_code_works_only_once_and_is_required_for_privacy_officers() {
        String user = h.createUser(Role.PRIVACY_OFFICER);
        String pw = AdminHarness.password(user);
        h.clock.advance(Duration.ofMinutes(5));

        HttpResponse<String> missing = h.post(Caller.ANONYMOUS, "/api/v1/auth/login", login(user, pw, null));
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).contains("totp_required");
        String c = code(user, 0);
        assertThat(h.post(Caller.ANONYMOUS, "/api/v1/auth/login", login(user, pw, c))
                        .statusCode())
                .isEqualTo(200);
        assertThat(h.post(Caller.ANONYMOUS, "/api/v1/auth/login", login(user, pw, c))
                        .statusCode())
                .as("replayed code")
                .isEqualTo(401);
    }

    @Test
    void a_recovery_code_replaces_the_totp_code_once() throws Exception {
        String token = h.services.bootstrapOwner("root").orElseThrow();
        var start = h.auth().startSetup(token);
        var done = h.auth()
                .finishSetup(
                        token,
                        "root password 123",
                        h.auth().totp().code(start.totpSecret(), h.auth().totp().currentStep()));
        String recovery = done.recoveryCodes().get(3);
        String body =
                "{\"username\":\"root\",\"password\":\"root password 123\",\"recoveryCode\":\"" + recovery + "\"}";

        assertThat(h.post(Caller.ANONYMOUS, "/api/v1/auth/login", body).statusCode())
                .isEqualTo(200);
        assertThat(h.post(Caller.ANONYMOUS, "/api/v1/auth/login", body).statusCode())
                .isEqualTo(401);
    }

    @Test
    void state_changing_session_requests_need_the_csrf_header() {
        Caller owner = h.session(Role.OWNER);
        Caller noHeader = new Caller(owner.cookie(), null, null, owner.name(), owner.role());
        Caller wrongHeader = new Caller(owner.cookie(), "not-the-token", null, owner.name(), owner.role());
        String body = "{\"id\":\"web\",\"name\":\"Web\"}";

        HttpResponse<String> missing = h.post(noHeader, "/api/v1/sources", body);
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(missing.body()).contains("csrf_failed");
        assertThat(h.post(wrongHeader, "/api/v1/sources", body).statusCode()).isEqualTo(403);
        assertThat(h.config.source("web")).isEmpty();
        assertThat(h.post(owner, "/api/v1/sources", body).statusCode()).isEqualTo(201);
    }

    @Test
    void a_cross_origin_state_changing_request_is_refused_even_without_a_session() {
        String user = h.createUser(Role.EDITOR);
        HttpResponse<String> r = h.send(
                Caller.ANONYMOUS,
                "POST",
                "/api/v1/auth/login",
                login(user, AdminHarness.password(user), null),
                "Origin",
                "https://evil.example");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("csrf_failed");
        Caller owner = h.session(Role.OWNER);
        assertThat(h.send(owner, "POST", "/api/v1/sources", "{\"id\":\"a\",\"name\":\"A\"}", "Origin", h.url(""))
                        .statusCode())
                .as("same origin passes")
                .isEqualTo(201);
    }

    @Test
    void a_role_change_takes_effect_on_the_next_request_and_disabling_ends_sessions() {
        String user = h.createUser(Role.EDITOR);
        Caller editor = h.session(user, Role.EDITOR);
        assertThat(h.post(editor, "/api/v1/drafts", "{}").statusCode()).isEqualTo(201);

        h.services.users().update(Principal.system(), user, null, Role.VIEWER, null);
        assertThat(h.get(editor, "/api/v1/me").statusCode())
                .as("role change ends sessions")
                .isEqualTo(401);
        Caller viewer = h.session(user, Role.VIEWER);
        assertThat(h.post(viewer, "/api/v1/drafts", "{}").statusCode()).isEqualTo(403);
    }
}

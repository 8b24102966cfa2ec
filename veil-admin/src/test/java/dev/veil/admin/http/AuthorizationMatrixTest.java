package dev.veil.admin.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.admin.AdminHarness;
import dev.veil.admin.AdminHarness.Caller;
import dev.veil.admin.auth.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the admin API's route table × every role (as a session and as an API token) × anonymous × an
 * expired session, against an access table written here by hand from the role definitions. A route added
 * to the table without a line here fails {@link #every_route_has_a_rule_and_every_rule_a_route}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {

    /**
     * Who may call each route: letters for the roles allowed with a session (O owner, P privacy officer, E editor,
     * V viewer), {@code T} when API tokens of those roles may too, {@code *} for public routes.
     */
    private static final Map<String, String> ACCESS = new LinkedHashMap<>();

    static {
        rule("POST /api/v1/auth/login", "*");
        rule("POST /api/v1/auth/logout", "OPEV");
        rule("GET /api/v1/auth/session", "OPEV");
        rule("POST /api/v1/auth/setup/start", "*");
        rule("POST /api/v1/auth/setup/finish", "*");
        rule("GET /api/v1/me", "OPEV");
        rule("POST /api/v1/me/password", "OPEV");
        rule("GET /api/v1/users", "O");
        rule("POST /api/v1/users", "O");
        rule("PATCH /api/v1/users/{username}", "O");
        rule("POST /api/v1/users/{username}/reset", "O");
        rule("DELETE /api/v1/users/{username}", "O");
        rule("GET /api/v1/tokens", "O");
        rule("POST /api/v1/tokens", "O");
        rule("DELETE /api/v1/tokens/{id}", "O");
        rule("GET /api/v1/settings", "OPEVT");
        rule("PUT /api/v1/settings", "O");
        rule("GET /api/v1/policy", "OPEVT");
        rule("GET /api/v1/policies", "OPEVT");
        rule("GET /api/v1/policies/{version}", "OPEVT");
        rule("GET /api/v1/policies/{version}/export", "OPEVT");
        rule("POST /api/v1/policy/validate", "OPEVT");
        rule("POST /api/v1/policy/diff", "OPEVT");
        rule("GET /api/v1/drafts", "OPEVT");
        rule("POST /api/v1/drafts", "OPET");
        rule("GET /api/v1/drafts/{id}", "OPEVT");
        rule("PUT /api/v1/drafts/{id}", "OPET");
        rule("POST /api/v1/drafts/{id}/approve", "OP");
        rule("POST /api/v1/drafts/{id}/publish", "OPT");
        rule("POST /api/v1/drafts/{id}/discard", "OPET");
        rule("GET /api/v1/sources", "OPEVT");
        rule("POST /api/v1/sources", "OPET");
        rule("GET /api/v1/sources/{id}", "OPEVT");
        rule("PATCH /api/v1/sources/{id}", "OPET");
        rule("POST /api/v1/sources/{id}/rotate-key", "OPET");
        rule("DELETE /api/v1/sources/{id}", "OPET");
        rule("GET /api/v1/sources/{id}/snippet", "OPEVT");
        rule("GET /api/v1/connectors", "OPEVT");
        rule("GET /api/v1/destinations", "OPEVT");
        rule("GET /api/v1/destinations/{id}", "OPEVT");
        rule("PUT /api/v1/destinations/{id}", "OPET");
        rule("PUT /api/v1/destinations/{id}/secrets/{key}", "OPET");
        rule("POST /api/v1/destinations/{id}/enable", "OPET");
        rule("POST /api/v1/destinations/{id}/disable", "OPET");
        rule("DELETE /api/v1/destinations/{id}", "OPET");
        rule("POST /api/v1/destinations/{id}/test", "OPET");
        rule("GET /api/v1/delivery", "OPEVT");
        rule("GET /api/v1/destinations/{id}/dead-letters", "OPEVT");
        rule("GET /api/v1/destinations/{id}/dead-letters/{dl}", "OPT");
        rule("POST /api/v1/destinations/{id}/dead-letters/replay", "OPET");
        rule("GET /api/v1/masking-keys", "OPEVT");
        rule("POST /api/v1/masking-keys/rotate", "OPT");
        rule("GET /api/v1/audit", "OPT");
        rule("GET /api/v1/audit/verify", "OPT");
        rule("GET /api/v1/audit/export", "OPT");
    }

    private static void rule(String route, String access) {
        ACCESS.put(route, access);
    }

    private static final Map<Role, Character> LETTER =
            new EnumMap<>(Map.of(Role.OWNER, 'O', Role.PRIVACY_OFFICER, 'P', Role.EDITOR, 'E', Role.VIEWER, 'V'));

    @TempDir
    static Path dir;

    private AdminHarness h;
    private final Map<Role, String> users = new EnumMap<>(Role.class);
    private final Map<Role, Caller> tokens = new EnumMap<>(Role.class);

    @BeforeAll
    void start() {
        h = new AdminHarness(dir);
        for (Role r : Role.values()) {
            users.put(r, h.createUser(r));
            tokens.put(r, h.token(r));
        }
    }

    @AfterAll
    void stop() {
        h.close();
    }

    @Test
    void every_route_has_a_rule_and_every_rule_a_route() {
        Set<String> served =
                new TreeSet<>(h.api.routes().stream().map(Route::key).toList());

        assertThat(served).as("routes without a rule in ACCESS").isSubsetOf(ACCESS.keySet());
        assertThat(ACCESS.keySet()).as("rules for routes that do not exist").isSubsetOf(served);
    }

    @Test
    void every_route_answers_each_caller_as_the_access_table_says() {
        List<String> wrong = new ArrayList<>();
        for (Route route : h.api.routes()) {
            String access = ACCESS.get(route.key());
            if (access == null) {
                continue;
            }
            boolean pub = access.equals("*");
            check(wrong, route, "anonymous", Caller.ANONYMOUS, pub ? -1 : 401, "unauthorized");
            if (!pub) {
                check(wrong, route, "expired session", h.expiredSession(Role.OWNER), 401, "session_expired");
            }
            for (Role role : Role.values()) {
                boolean sessionAllowed = pub || access.indexOf(LETTER.get(role)) >= 0;
                Caller session = h.session(users.get(role), role);
                check(wrong, route, role.wire() + " session", session, sessionAllowed ? -1 : 403, "forbidden");
                boolean tokenAllowed = pub || (sessionAllowed && access.contains("T"));
                check(wrong, route, role.wire() + " token", tokens.get(role), tokenAllowed ? -1 : 403, "forbidden");
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** {@code expected} -1 means allowed: any answer but 401 or 403. */
    private void check(List<String> wrong, Route route, String who, Caller caller, int expected, String code) {
        String path = route.path()
                .replace("{id}", "x")
                .replace("{version}", "1")
                .replace("{dl}", "1")
                .replace("{username}", "nobody")
                .replace("{key}", "k");
        HttpResponse<String> r = h.send(caller, route.method().name(), path, route.body() == null ? null : "{}");
        boolean ok = expected == -1
                ? r.statusCode() != 401 && r.statusCode() != 403
                : r.statusCode() == expected && r.body().contains("\"code\":\"" + code + "\"");
        if (!ok) {
            wrong.add(route.key() + " as " + who + ": expected " + (expected == -1 ? "allowed" : expected + " " + code)
                    + ", got " + r.statusCode() + " " + r.body());
        }
    }
}

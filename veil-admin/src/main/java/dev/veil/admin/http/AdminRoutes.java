package dev.veil.admin.http;

import static dev.veil.admin.http.Body.optional;
import static dev.veil.admin.http.Body.required;
import static dev.veil.admin.http.Body.secret;

import dev.veil.admin.AdminException;
import dev.veil.admin.AdminServices;
import dev.veil.admin.auth.AuthService;
import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Role;
import dev.veil.admin.http.Body.Type;
import dev.veil.admin.http.Route.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The admin API's route table: authentication, self-service, users, API tokens and settings here; policies in
 * {@link PolicyRoutes}; sources, destinations, keys and delivery in {@link ConfigRoutes}; the audit log in
 * {@link AuditRoutes}. A route is one line of permission, schema and handler: nothing is served that is not in
 * this table, so the authorization matrix and the OpenAPI document cover everything.
 */
final class AdminRoutes {

    private AdminRoutes() {}

    static List<Route> all(AdminServices s, AdminApi api) {
        List<Route> all = new ArrayList<>();
        all.addAll(auth(s, api));
        all.addAll(accounts(s));
        all.addAll(PolicyRoutes.routes(s));
        all.addAll(ConfigRoutes.routes(s));
        all.addAll(AuditRoutes.routes(s));
        return List.copyOf(all);
    }

    static Route route(
            Method m, String path, Permission p, String tag, String summary, @Nullable Body body, Route.Handler h) {
        return new Route(m, AdminApi.BASE + path, p, tag, summary, body, false, h);
    }

    static Route create(
            Method m, String path, Permission p, String tag, String summary, @Nullable Body body, Route.Handler h) {
        return new Route(m, AdminApi.BASE + path, p, tag, summary, body, true, h);
    }

    static Role role(Request r, String field) {
        return Role.fromWire(r.string(field))
                .orElseThrow(() -> AdminException.badRequest(
                        "invalid_field", "field '" + field + "': expected one of " + Role.names()));
    }

    private static List<Route> auth(AdminServices s, AdminApi api) {
        String t = "auth";
        return List.of(
                route(
                        Method.POST,
                        "/auth/login",
                        Permission.PUBLIC,
                        t,
                        "Sign in; sets the session cookie and returns the CSRF token.",
                        Body.of(
                                required("username", Type.STRING, 64, "user name"),
                                secret("password", true, 256, "password"),
                                secret("totp", false, 6, "the authenticator app's 6-digit code"),
                                secret("recoveryCode", false, 64, "a recovery code instead of the app's code")),
                        r -> {
                            var session = s.auth()
                                    .login(
                                            r.string("username"),
                                            r.string("password"),
                                            r.optString("totp"),
                                            r.optString("recoveryCode"),
                                            r.ctx().ip(),
                                            r.ctx().cookie(AdminApi.COOKIE));
                            api.setSessionCookie(
                                    r.ctx(),
                                    session.cookieValue(),
                                    s.auth().options().absoluteTimeout().toSeconds());
                            return Response.ok(
                                    sessionView(session.principal(), session.csrfToken(), session.expiresAt()));
                        }),
                route(Method.POST, "/auth/logout", Permission.SELF, t, "Sign out (ends the session).", null, r -> {
                    s.auth().logout(r.principal());
                    api.clearSessionCookie(r.ctx());
                    return Response.noContent();
                }),
                route(
                        Method.GET,
                        "/auth/session",
                        Permission.SELF,
                        t,
                        "Who is signed in, with the session's CSRF token.",
                        null,
                        r -> Response.ok(
                                sessionView(r.principal(), r.principal().csrfToken(), null))),
                route(
                        Method.POST,
                        "/auth/setup/start",
                        Permission.PUBLIC,
                        t,
                        "Open a setup link: whose account, and the TOTP secret to enrol (owners and privacy officers must).",
                        Body.of(secret("token", true, 128, "the setup link's token")),
                        r -> {
                            var start = s.auth().startSetup(r.string("token"));
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("username", start.username());
                            out.put("role", start.role().wire());
                            out.put("totpRequired", start.totpRequired());
                            out.put("totpSecret", start.totpSecret());
                            out.put("totpUri", start.totpUri());
                            return Response.ok(out);
                        }),
                route(
                        Method.POST,
                        "/auth/setup/finish",
                        Permission.PUBLIC,
                        t,
                        "Complete a setup link: set the password and second factor; signs in and returns recovery codes once.",
                        Body.of(
                                secret("token", true, 128, "the setup link's token"),
                                secret("password", true, 256, "the new password (12 characters or more)"),
                                secret("totp", false, 6, "a current code from the enrolled app")),
                        r -> {
                            var done =
                                    s.auth().finishSetup(r.string("token"), r.string("password"), r.optString("totp"));
                            api.setSessionCookie(
                                    r.ctx(),
                                    done.session().cookieValue(),
                                    s.auth().options().absoluteTimeout().toSeconds());
                            Map<String, Object> out = sessionView(
                                    done.session().principal(),
                                    done.session().csrfToken(),
                                    done.session().expiresAt());
                            out.put("recoveryCodes", done.recoveryCodes());
                            return Response.ok(out);
                        }));
    }

    private static Map<String, Object> sessionView(
            Principal p, @Nullable String csrf, java.time.@Nullable Instant expiresAt) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("username", p.name());
        out.put("role", p.role().wire());
        out.put(
                "permissions",
                p.role().permissions().stream()
                        .filter(p::may)
                        .map(x -> x.name().toLowerCase())
                        .sorted()
                        .toList());
        out.put("csrfToken", csrf);
        if (expiresAt != null) {
            out.put("expiresAt", expiresAt);
        }
        return out;
    }

    private static List<Route> accounts(AdminServices s) {
        String users = "users";
        String tokens = "tokens";
        return List.of(
                route(
                        Method.GET,
                        "/me",
                        Permission.SELF,
                        users,
                        "The signed-in user.",
                        null,
                        r -> Response.ok(
                                Views.UserView.of(s.users().get(r.principal().name())))),
                route(
                        Method.POST,
                        "/me/password",
                        Permission.SELF,
                        users,
                        "Change your password; ends all your sessions.",
                        Body.of(
                                secret("currentPassword", true, 256, "current password"),
                                secret("newPassword", true, 256, "new password")),
                        r -> {
                            s.auth()
                                    .changePassword(
                                            r.principal(), r.string("currentPassword"), r.string("newPassword"));
                            return Response.noContent();
                        }),
                route(
                        Method.GET,
                        "/users",
                        Permission.MANAGE_USERS,
                        users,
                        "List users.",
                        null,
                        r -> Response.ok(s.users().list().stream()
                                .map(Views.UserView::of)
                                .toList())),
                create(
                        Method.POST,
                        "/users",
                        Permission.MANAGE_USERS,
                        users,
                        "Invite a user: returns a one-time setup link token (never a password).",
                        Body.of(
                                required("username", Type.STRING, 64, "login name"),
                                optional("displayName", Type.STRING, 200, "shown name"),
                                required("role", Type.STRING, 32, "owner, privacy_officer, editor or viewer")),
                        r -> {
                            var inv = s.users()
                                    .create(
                                            r.principal(),
                                            r.string("username"),
                                            r.optString("displayName") == null ? "" : r.string("displayName"),
                                            role(r, "role"));
                            return Response.created(invitation(inv));
                        }),
                route(
                        Method.PATCH,
                        "/users/{username}",
                        Permission.MANAGE_USERS,
                        users,
                        "Change a user's role, name or disabled flag (ends their sessions on role or status change).",
                        Body.of(
                                optional("displayName", Type.STRING, 200, "shown name"),
                                optional("role", Type.STRING, 32, "owner, privacy_officer, editor or viewer"),
                                optional("disabled", Type.BOOLEAN, 0, "a disabled user cannot sign in")),
                        r -> Response.ok(Views.UserView.of(s.users()
                                .update(
                                        r.principal(),
                                        r.path("username"),
                                        r.optString("displayName"),
                                        r.has("role") ? role(r, "role") : null,
                                        r.optBool("disabled"))))),
                route(
                        Method.POST,
                        "/users/{username}/reset",
                        Permission.MANAGE_USERS,
                        users,
                        "Reset a user's password and second factor: returns a new setup link token.",
                        null,
                        r -> Response.ok(invitation(s.users().reset(r.principal(), r.path("username"))))),
                route(Method.DELETE, "/users/{username}", Permission.MANAGE_USERS, users, "Delete a user.", null, r -> {
                    s.users().delete(r.principal(), r.path("username"));
                    return Response.noContent();
                }),
                route(
                        Method.GET,
                        "/tokens",
                        Permission.MANAGE_TOKENS,
                        tokens,
                        "List API tokens (never their values).",
                        null,
                        r -> Response.ok(s.tokens().list().stream()
                                .map(Views.TokenView::of)
                                .toList())),
                create(
                        Method.POST,
                        "/tokens",
                        Permission.MANAGE_TOKENS,
                        tokens,
                        "Create an API token; its value is shown only now.",
                        Body.of(
                                required("name", Type.STRING, 200, "what it is for"),
                                required("role", Type.STRING, 32, "the role it acts with"),
                                optional("expiresInDays", Type.INTEGER, 0, "lifetime in days, 1..365 (default 90)")),
                        r -> {
                            var c = s.tokens()
                                    .create(
                                            r.principal(),
                                            r.string("name"),
                                            role(r, "role"),
                                            r.has("expiresInDays") ? r.integer("expiresInDays") : 90);
                            Map<String, Object> out = new LinkedHashMap<>();
                            out.put("token", Views.TokenView.of(c.token()));
                            out.put("value", c.value());
                            return Response.created(out);
                        }),
                route(
                        Method.DELETE,
                        "/tokens/{id}",
                        Permission.MANAGE_TOKENS,
                        tokens,
                        "Revoke an API token (immediately).",
                        null,
                        r -> {
                            s.tokens().revoke(r.principal(), r.path("id"));
                            return Response.noContent();
                        }),
                route(
                        Method.GET,
                        "/settings",
                        Permission.VIEW_CONFIG,
                        "settings",
                        "Workspace settings.",
                        null,
                        r -> Response.ok(Map.of("twoPersonRule", s.policies().twoPersonRule()))),
                route(
                        Method.PUT,
                        "/settings",
                        Permission.MANAGE_SETTINGS,
                        "settings",
                        "Change workspace settings (owners only; audited).",
                        Body.of(required(
                                "twoPersonRule",
                                Type.BOOLEAN,
                                0,
                                "drafts need an approval by another privacy officer")),
                        r -> {
                            s.policies().setTwoPersonRule(r.principal(), r.bool("twoPersonRule"));
                            return Response.ok(
                                    Map.of("twoPersonRule", s.policies().twoPersonRule()));
                        }));
    }

    private static Map<String, Object> invitation(dev.veil.admin.resources.UserService.Invitation inv) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", Views.UserView.of(inv.user()));
        out.put("setupToken", inv.setupToken());
        out.put("setupPath", inv.link(""));
        return out;
    }

    static String normalize(String username) {
        return AuthService.normalize(username);
    }
}

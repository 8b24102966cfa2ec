package dev.veil.console.web;

import dev.veil.admin.AdminException;
import dev.veil.admin.AdminServices;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.http.AdminApi;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One console request as an area's handler sees it: who is signed in, the form and query values (length-checked),
 * and the ways to answer: render a page in the frame, a fragment for htmx, or redirect with a message.
 */
public final class ConsoleRequest {

    /** Longest form or query value read by default. */
    public static final int MAX_VALUE = 1_000;

    private final Context ctx;
    private final @Nullable Principal principal;
    private final ConsoleRoutes routes;
    private final List<Chrome.Notice> notices = new ArrayList<>();

    ConsoleRequest(Context ctx, @Nullable Principal principal, ConsoleRoutes routes) {
        this.ctx = ctx;
        this.principal = principal;
        this.routes = routes;
    }

    public Context ctx() {
        return ctx;
    }

    public AdminServices services() {
        return routes.services();
    }

    /** The signed-in person, null on public pages visited without a session. */
    public @Nullable Principal principalOrNull() {
        return principal;
    }

    /** The signed-in person (every non-public route has one). */
    public Principal who() {
        if (principal == null) {
            throw AdminException.unauthorized("sign in first");
        }
        return principal;
    }

    /** Whether htmx sent this request (it then wants a fragment, not a whole page). */
    public boolean htmx() {
        return "true".equals(ctx.header("HX-Request"));
    }

    /** A form value, empty when absent; longer than {@code max} characters is a clear error. */
    public String form(String name, int max) {
        return limited(ctx.formParam(name), name, max);
    }

    public String form(String name) {
        return form(name, MAX_VALUE);
    }

    /** A query value, empty when absent. */
    public String query(String name, int max) {
        return limited(ctx.queryParam(name), name, max);
    }

    public String query(String name) {
        return query(name, MAX_VALUE);
    }

    /** A required numeric path parameter. */
    public long pathLong(String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw AdminException.notFound("'" + name + "' " + "(expected a number)");
        }
    }

    /** A required integer form value. */
    public int formInt(String name) {
        try {
            return Integer.parseInt(form(name, 12));
        } catch (NumberFormatException e) {
            throw AdminException.badRequest("invalid_field", "field '" + name + "': expected a number");
        }
    }

    private static String limited(@Nullable String v, String name, int max) {
        if (v == null) {
            return "";
        }
        if (v.length() > max) {
            throw AdminException.badRequest(
                    "invalid_field", "field '" + name + "' is longer than " + max + " characters");
        }
        return v;
    }

    /** The client's address, for the login throttle only (never logged or stored). */
    public String client() {
        return ctx.ip();
    }

    /** A message on the page this request renders. */
    public ConsoleRequest notice(String text, boolean bad) {
        notices.add(new Chrome.Notice(text, bad));
        return this;
    }

    /** A message on the next page the person opens (after a redirect). */
    public void flash(String text, boolean bad) {
        if (principal != null && principal.sessionIdHash() != null) {
            routes.flash().add(principal.sessionIdHash(), new Chrome.Notice(text, bad));
        }
    }

    /** The frame of a page: title, navigation for this person, the anti-CSRF token and pending messages. */
    public Chrome chrome(String active, String title) {
        List<Chrome.Notice> all = new ArrayList<>();
        if (principal == null) {
            all.addAll(notices);
            return new Chrome(title, active, null, null, "", List.of(), all);
        }
        if (principal.sessionIdHash() != null) {
            all.addAll(routes.flash().take(principal.sessionIdHash()));
        }
        all.addAll(notices);
        return new Chrome(
                title,
                active,
                principal.name(),
                principal.role().wire(),
                principal.csrfToken() == null ? "" : principal.csrfToken(),
                routes.navFor(principal),
                all);
    }

    /** The anti-CSRF token for forms of fragments. */
    public String csrf() {
        return principal == null || principal.csrfToken() == null ? "" : principal.csrfToken();
    }

    /** Renders {@code template} (e.g. {@code overview.jte}) with status 200. */
    public void render(String template, Map<String, Object> params) {
        render(200, template, params);
    }

    public void render(int status, String template, Map<String, Object> params) {
        ctx.status(status)
                .contentType("text/html; charset=utf-8")
                .result(routes.templates().render(template, params));
    }

    /**
     * Any other answer (a download, a page rendered elsewhere): status, content type, body and extra headers.
     * Pages that show a secret once should add {@code Cache-Control: no-store} (every console page has it).
     */
    public void send(int status, String contentType, byte[] body, Map<String, String> headers) {
        headers.forEach(ctx::header);
        ctx.status(status).contentType(contentType).result(body);
    }

    /** After a form: to {@code path} (303, or htmx's own redirect header for htmx requests). */
    public void redirect(String path) {
        if (htmx()) {
            ctx.status(200).header("HX-Redirect", path).result("");
        } else {
            ctx.status(303).header("Location", path).result("");
        }
    }

    /** To the sign-in page, coming back here afterwards. */
    void toSignIn() {
        String here = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        String target = ConsoleRoutes.BASE + "/login"
                + (ctx.method().name().equals("GET") && !ctx.path().equals(ConsoleRoutes.BASE)
                        ? "?next=" + Links.enc(here)
                        : "");
        if (htmx()) {
            ctx.status(401).header("HX-Redirect", target).result("");
        } else {
            ctx.status(303).header("Location", target).result("");
        }
    }

    /** An error answer: a page in the frame, or a fragment for htmx. */
    void error(int status, String message) {
        if (htmx()) {
            render(status, "notice.jte", ConsoleRoutes.params("text", message, "bad", true));
            return;
        }
        notices.add(new Chrome.Notice(message, true));
        render(status, "error.jte", ConsoleRoutes.params("chrome", chrome("", title(status)), "status", status));
    }

    private static String title(int status) {
        return switch (status) {
            case 400, 422 -> "Not accepted";
            case 401 -> "Sign in";
            case 403 -> "Not allowed";
            case 404 -> "Not found";
            case 409 -> "Changed meanwhile";
            case 429 -> "Too many attempts";
            default -> "Something went wrong";
        };
    }

    /** Sets the session cookie: HttpOnly, SameSite=Strict, Secure on HTTPS (or when configured). */
    public void sessionCookie(String value, long maxAgeSeconds) {
        boolean secure = routes.alwaysSecureCookies() || "https".equalsIgnoreCase(ctx.scheme());
        ctx.header(
                "Set-Cookie",
                AdminApi.COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                        + (secure ? "; Secure" : ""));
    }

    public void clearSessionCookie() {
        sessionCookie("", 0);
    }
}

package dev.veil.console.web;

import dev.veil.admin.AdminException;
import dev.veil.admin.AdminServices;
import dev.veil.admin.auth.AuthService;
import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Tokens;
import dev.veil.admin.http.AdminApi;
import dev.veil.store.StoreException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's route table. Areas register pages ({@link #page}, GET) and form actions ({@link #action}, POST),
 * each with the one {@link Permission} it needs, and navigation entries ({@link #nav}); {@link #mount} puts them
 * on a Javalin app behind one dispatcher.
 *
 * <p>Design note: the dispatcher is the only place that authenticates. It reads the admin session cookie
 * ({@value AdminApi#COOKIE}, the same session as the admin API, checked by veil-admin's {@link AuthService}),
 * sends people who are not signed in to the sign-in page, refuses (and audits) what their role may not do, and
 * for every POST checks a same-origin {@code Origin} and the session's anti-CSRF token (form field
 * {@value #CSRF_FIELD} or header {@value AdminApi#CSRF_HEADER}). Pages are never cached. Errors from the admin
 * services become a page (or, for htmx requests, a fragment) with their message; nothing here logs a value.
 */
public final class ConsoleRoutes {

    /** Where the console lives. */
    public static final String BASE = "/console";

    /** The form field that carries the session's anti-CSRF token. */
    public static final String CSRF_FIELD = "_csrf";

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRoutes.class);

    /** Handles one request; throw {@link AdminException} for a clear refusal. */
    @FunctionalInterface
    public interface Handler {
        void handle(ConsoleRequest request) throws Exception;
    }

    private record Route(String method, String path, Permission permission, Handler handler) {}

    /** A navigation entry, shown to those who have {@code permission}, ordered by {@code order}. */
    public record Nav(String key, String label, String href, Permission permission, int order) {}

    private final AdminServices services;
    private final Templates templates;
    private final Flash flash;
    private final boolean alwaysSecureCookies;
    private final List<Route> routes = new ArrayList<>();
    private final List<Nav> nav = new ArrayList<>();

    public ConsoleRoutes(AdminServices services, Templates templates, boolean alwaysSecureCookies) {
        this.services = services;
        this.templates = templates;
        this.flash = new Flash();
        this.alwaysSecureCookies = alwaysSecureCookies;
    }

    /** A page (GET) at {@code path} (absolute, under {@value #BASE}) for those who have {@code permission}. */
    public ConsoleRoutes page(String path, Permission permission, Handler handler) {
        routes.add(new Route("GET", checked(path), permission, handler));
        return this;
    }

    /** A form action (POST): same-origin and anti-CSRF checks before {@code handler}. */
    public ConsoleRoutes action(String path, Permission permission, Handler handler) {
        routes.add(new Route("POST", checked(path), permission, handler));
        return this;
    }

    /** A navigation entry. */
    public ConsoleRoutes nav(String key, String label, String href, Permission permission, int order) {
        nav.add(new Nav(key, label, href, permission, order));
        return this;
    }

    private static String checked(String path) {
        if (!path.equals(BASE) && !path.startsWith(BASE + "/")) {
            throw new IllegalArgumentException("console routes live under " + BASE + ", not " + path);
        }
        return path;
    }

    /** The registered routes as {@code METHOD path permission} (for tests that check every route's rule). */
    public List<String> table() {
        return routes.stream()
                .map(r -> r.method() + " " + r.path() + " "
                        + r.permission().name().toLowerCase())
                .toList();
    }

    /** The navigation entries {@code principal} may open, in order. */
    List<Chrome.NavItem> navFor(Principal principal) {
        return nav.stream()
                .filter(n -> principal.may(n.permission()))
                .sorted(Comparator.comparingInt(Nav::order))
                .map(n -> new Chrome.NavItem(n.key(), n.label(), n.href()))
                .toList();
    }

    public void mount(JavalinConfig c) {
        for (Route r : routes) {
            if (r.method().equals("GET")) {
                c.routes.get(r.path(), ctx -> dispatch(r, ctx));
            } else {
                c.routes.post(r.path(), ctx -> dispatch(r, ctx));
            }
        }
    }

    private void dispatch(Route route, Context ctx) {
        ctx.header("Cache-Control", "no-store");
        Principal principal = authenticate(ctx);
        ConsoleRequest request = new ConsoleRequest(ctx, principal, this);
        try {
            if (route.permission() != Permission.PUBLIC) {
                if (principal == null) {
                    request.toSignIn();
                    return;
                }
                if (!principal.may(route.permission())) {
                    services.audit()
                            .denied(principal, "access.denied", "console " + route.method() + " " + route.path());
                    throw AdminException.forbidden(
                            "the " + principal.role().wire() + " role cannot open this (it needs "
                                    + route.permission().name().toLowerCase() + ")");
                }
            }
            if (route.method().equals("POST")) {
                // Public forms (sign-in, setup) have no session yet: the origin check alone applies to them.
                checkPost(ctx, route.permission() == Permission.PUBLIC ? null : principal);
            }
            route.handler().handle(request);
        } catch (AdminException e) {
            request.error(e.status(), e.getMessage());
        } catch (StoreException e) {
            LOG.error("console {}: store failed: {}", route.path(), e.getMessage());
            request.error(503, "the configuration store is not available; retry later");
        } catch (Exception e) {
            LOG.error("console {} failed: {}", route.path(), e.getClass().getName());
            request.error(500, "the console failed to handle the request");
        }
    }

    private @Nullable Principal authenticate(Context ctx) {
        String cookie = ctx.cookie(AdminApi.COOKIE);
        if (cookie == null || cookie.isEmpty()) {
            return null;
        }
        AuthService.SessionCheck check = services.auth().session(cookie);
        return check.principal();
    }

    private static void checkPost(Context ctx, @Nullable Principal principal) {
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equals("null") && !sameOrigin(origin, ctx.header("Host"))) {
            throw new AdminException(403, "csrf_failed", "cross-origin form posts are refused");
        }
        if (principal != null) {
            String sent = ctx.formParam(CSRF_FIELD);
            if (sent == null) {
                sent = ctx.header(AdminApi.CSRF_HEADER);
            }
            if (sent == null || principal.csrfToken() == null || !Tokens.same(sent, principal.csrfToken())) {
                throw new AdminException(
                        403,
                        "csrf_failed",
                        "the form is out of date (missing or wrong anti-forgery token); reload the page");
            }
        }
    }

    static boolean sameOrigin(String origin, @Nullable String host) {
        try {
            URI o = URI.create(origin);
            if (host == null || o.getHost() == null) {
                return false;
            }
            String originHost = o.getHost() + (o.getPort() == -1 ? "" : ":" + o.getPort());
            return originHost.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    AdminServices services() {
        return services;
    }

    Templates templates() {
        return templates;
    }

    Flash flash() {
        return flash;
    }

    boolean alwaysSecureCookies() {
        return alwaysSecureCookies;
    }

    /** Parameters for a template as a map (JTE's precompiled templates take a map). */
    public static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}

package dev.veil.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.veil.admin.AdminException;
import dev.veil.admin.AdminServices;
import dev.veil.admin.auth.AuthService;
import dev.veil.admin.auth.Permission;
import dev.veil.admin.auth.Principal;
import dev.veil.admin.auth.Tokens;
import dev.veil.store.StoreException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API under {@value #BASE} and its OpenAPI document at {@value #OPENAPI}, mounted on a Javalin
 * server with one call ({@link #mount}), so the server can put it on its main or a management listener.
 *
 * <p>Design note: every request goes through {@link #dispatch}: size limit, authentication (an API token in
 * {@code Authorization: Bearer}, else the {@value #COOKIE} session cookie), the route's permission, CSRF checks
 * for state-changing requests (the session's token in {@value #CSRF_HEADER}, and a same-origin {@code Origin}
 * when the browser sends one), body validation against the route's {@link Body}, then the handler. Errors use
 * one JSON shape, {@code {"error": {"code", "message"}}}. Nothing here logs a body, a cookie or a token.
 */
public final class AdminApi {

    public static final String BASE = "/api/v1";
    public static final String OPENAPI = "/api/openapi.json";
    public static final String COOKIE = "veil_session";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /**
     * @param maxBodyBytes largest request body (policies are the largest bodies)
     * @param alwaysSecureCookies mark the session cookie {@code Secure} even on plain HTTP (behind a TLS proxy);
     *     it is always marked on HTTPS
     */
    public record Options(int maxBodyBytes, boolean alwaysSecureCookies) {
        public static final Options DEFAULTS = new Options(2 * 1024 * 1024, false);
    }

    private final AdminServices services;
    private final Options options;
    private final List<Route> routes;
    private final String openApi;

    public AdminApi(AdminServices services, Options options) {
        this.services = services;
        this.options = options;
        this.routes = AdminRoutes.all(services, this);
        this.openApi = OpenApi.document(routes);
    }

    public AdminApi(AdminServices services) {
        this(services, Options.DEFAULTS);
    }

    /** The route table (for the authorization matrix and OpenAPI tests). */
    public List<Route> routes() {
        return routes;
    }

    public AdminServices services() {
        return services;
    }

    /** Registers every route and the OpenAPI document. */
    public void mount(JavalinConfig c) {
        for (Route r : routes) {
            switch (r.method()) {
                case GET -> c.routes.get(r.path(), ctx -> dispatch(r, ctx));
                case POST -> c.routes.post(r.path(), ctx -> dispatch(r, ctx));
                case PUT -> c.routes.put(r.path(), ctx -> dispatch(r, ctx));
                case PATCH -> c.routes.patch(r.path(), ctx -> dispatch(r, ctx));
                case DELETE -> c.routes.delete(r.path(), ctx -> dispatch(r, ctx));
            }
        }
        c.routes.get(OPENAPI, ctx -> {
            headers(ctx);
            ctx.contentType("application/json").result(openApi);
        });
    }

    private void dispatch(Route route, Context ctx) {
        headers(ctx);
        try {
            Response response = handle(route, ctx);
            write(ctx, response);
        } catch (AdminException e) {
            error(ctx, e.status(), e.code(), e.getMessage());
        } catch (StoreException e) {
            // Store messages name the operation and file, never values.
            LOG.error("admin {}: store failed: {}", route.key(), e.getMessage());
            error(ctx, 503, "store_unavailable", "the configuration store is not available; retry later");
        } catch (Exception e) {
            LOG.error("admin {} failed: {}", route.key(), e.getClass().getName());
            error(ctx, 500, "internal_error", "the server failed to handle the request");
        }
    }

    private Response handle(Route route, Context ctx) throws Exception {
        long declared = ctx.contentLength();
        if (declared > options.maxBodyBytes()) {
            throw new AdminException(
                    413, "payload_too_large", "body is " + declared + " bytes; the limit is " + options.maxBodyBytes());
        }
        Principal principal = authenticate(ctx);
        if (route.permission() != Permission.PUBLIC) {
            if (principal == null) {
                throw AdminException.unauthorized("sign in or send an API token");
            }
            if (!principal.may(route.permission())) {
                services.audit().denied(principal, "access.denied", route.key());
                throw AdminException.forbidden("this needs "
                        + route.permission().name().toLowerCase() + ", which role '"
                        + principal.role().wire() + "'"
                        + (principal.kind() == Principal.Kind.TOKEN ? " via an API token" : "") + " does not have");
            }
        }
        if (route.method().unsafe()) {
            csrf(ctx, principal);
        }
        JsonNode body = null;
        if (route.body() != null) {
            String type = ctx.contentType();
            if (type == null || !type.toLowerCase().startsWith("application/json")) {
                throw new AdminException(
                        415, "unsupported_media_type", "send the body as Content-Type: application/json");
            }
            byte[] bytes = ctx.bodyAsBytes();
            if (bytes.length > options.maxBodyBytes()) {
                throw new AdminException(
                        413,
                        "payload_too_large",
                        "body is " + bytes.length + " bytes; the limit is " + options.maxBodyBytes());
            }
            body = BodyValidator.parse(bytes);
            BodyValidator.check(body, route.body());
        } else if (route.method().unsafe() && ctx.bodyAsBytes().length > 0 && !isEmptyObject(ctx.bodyAsBytes())) {
            throw AdminException.badRequest("unknown_field", "this endpoint takes no body");
        }
        if (principal != null && principal.kind() == Principal.Kind.TOKEN) {
            services.audit().success(principal, "token.use", route.key(), Map.of());
        }
        return route.handler().handle(new Request(ctx, principal, body));
    }

    private static boolean isEmptyObject(byte[] bytes) {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                .strip()
                .equals("{}");
    }

    private @Nullable Principal authenticate(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw AdminException.unauthorized("Authorization must be 'Bearer <API token>'");
            }
            return services.auth()
                    .token(authorization.substring(7).strip())
                    .orElseThrow(() ->
                            new AdminException(401, "invalid_token", "the API token is unknown, revoked or expired"));
        }
        String cookie = ctx.cookie(COOKIE);
        if (cookie == null || cookie.isEmpty()) {
            return null;
        }
        AuthService.SessionCheck check = services.auth().session(cookie);
        return switch (check.problem()) {
            case NONE -> check.principal();
            case EXPIRED -> throw new AdminException(401, "session_expired", "the session expired; sign in again");
            case UNKNOWN -> throw AdminException.unauthorized("the session is not valid; sign in again");
        };
    }

    /**
     * Session requests that change state must echo the session's CSRF token; any state-changing request whose
     * browser names a different origin is refused (this also covers login and setup, which have no session yet).
     */
    private void csrf(Context ctx, @Nullable Principal principal) {
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equals("null") && !sameOrigin(origin, ctx)) {
            throw new AdminException(403, "csrf_failed", "cross-origin request refused");
        }
        if (principal != null && principal.kind() == Principal.Kind.SESSION) {
            String sent = ctx.header(CSRF_HEADER);
            if (sent == null || principal.csrfToken() == null || !Tokens.same(sent, principal.csrfToken())) {
                throw new AdminException(
                        403,
                        "csrf_failed",
                        "missing or wrong " + CSRF_HEADER + " header (from the login or session answer)");
            }
        }
    }

    private static boolean sameOrigin(String origin, Context ctx) {
        try {
            URI o = URI.create(origin);
            String host = ctx.header("Host");
            if (host == null || o.getHost() == null) {
                return false;
            }
            String originHost = o.getHost() + (o.getPort() == -1 ? "" : ":" + o.getPort());
            return originHost.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Sets the session cookie: HttpOnly, SameSite=Strict, Secure on HTTPS (or always when configured). */
    void setSessionCookie(Context ctx, String value, long maxAgeSeconds) {
        boolean secure = options.alwaysSecureCookies() || "https".equalsIgnoreCase(ctx.scheme());
        ctx.header(
                "Set-Cookie",
                COOKIE + "=" + value + "; Path=/; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                        + (secure ? "; Secure" : ""));
    }

    void clearSessionCookie(Context ctx) {
        setSessionCookie(ctx, "", 0);
    }

    private static void headers(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
    }

    private static void write(Context ctx, Response r) throws Exception {
        ctx.status(r.status());
        if (r.text() != null) {
            ctx.contentType(r.contentType()).result(r.text());
        } else if (r.json() != null) {
            ctx.contentType("application/json").result(JSON.writeValueAsString(r.json()));
        }
    }

    /** Writes the one JSON error shape. */
    public static void error(Context ctx, int status, String code, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("code", code).put("message", message);
        ctx.status(status).contentType("application/json").result(root.toString());
    }

    static List<Route> concat(List<List<Route>> groups) {
        List<Route> all = new ArrayList<>();
        groups.forEach(all::addAll);
        return List.copyOf(all);
    }
}

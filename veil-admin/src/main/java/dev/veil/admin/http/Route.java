package dev.veil.admin.http;

import dev.veil.admin.auth.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One admin API route: method, path (Javalin style, {@code {id}} for path parameters), the one permission it
 * needs, its body schema and its handler. The route table is the single source of the routes Javalin serves,
 * the authorization checks and the OpenAPI document.
 *
 * @param method HTTP method
 * @param path full path, e.g. {@code /api/v1/sources/{id}}
 * @param permission what the caller needs
 * @param tag OpenAPI tag (resource group)
 * @param summary one sentence for the OpenAPI document
 * @param body the accepted JSON body, or null when the route takes none
 * @param created whether success is 201 (a resource was created) rather than 200
 * @param handler the handler
 */
public record Route(
        Method method,
        String path,
        Permission permission,
        String tag,
        String summary,
        @Nullable Body body,
        boolean created,
        Handler handler) {

    private static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)}");

    public enum Method {
        GET,
        POST,
        PUT,
        PATCH,
        DELETE;

        /** Whether the method changes state (CSRF-checked). */
        public boolean unsafe() {
            return this != GET;
        }
    }

    /** Handles a validated, authorized request. */
    @FunctionalInterface
    public interface Handler {
        Response handle(Request request) throws Exception;
    }

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(permission, "permission");
        Objects.requireNonNull(handler, "handler");
    }

    /** The path parameter names, in order. */
    public List<String> pathParams() {
        List<String> out = new ArrayList<>();
        Matcher m = PARAM.matcher(path);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** {@code GET /api/v1/sources/{id}}: how audit entries and errors name a route. */
    public String key() {
        return method + " " + path;
    }
}

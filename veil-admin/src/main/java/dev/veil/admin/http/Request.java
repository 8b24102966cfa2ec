package dev.veil.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.veil.admin.AdminException;
import dev.veil.admin.auth.Principal;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A validated, authorized admin request: the caller, the checked JSON body, path and query parameters. Getters
 * for body fields trust the route's {@link Body} check (types were validated); query parameters are checked
 * here, with messages naming the parameter and its limits.
 */
public final class Request {

    private final Context ctx;
    private final @Nullable Principal principal;
    private final JsonNode body;

    Request(Context ctx, @Nullable Principal principal, @Nullable JsonNode body) {
        this.ctx = ctx;
        this.principal = principal;
        this.body = body == null ? JsonNodeFactory.instance.objectNode() : body;
    }

    /** The caller; only public routes are reached without one. */
    public Principal principal() {
        if (principal == null) {
            throw AdminException.unauthorized("sign in first");
        }
        return principal;
    }

    public @Nullable Principal principalOrNull() {
        return principal;
    }

    public Context ctx() {
        return ctx;
    }

    public String path(String name) {
        return ctx.pathParam(name);
    }

    /** A numeric path parameter. */
    public long pathLong(String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw AdminException.badRequest("invalid_parameter", "path parameter '" + name + "': expected a number");
        }
    }

    public boolean has(String field) {
        return body.hasNonNull(field);
    }

    public String string(String field) {
        return body.path(field).asText();
    }

    public @Nullable String optString(String field) {
        return body.hasNonNull(field) ? body.get(field).asText() : null;
    }

    public @Nullable Boolean optBool(String field) {
        return body.hasNonNull(field) ? body.get(field).asBoolean() : null;
    }

    public boolean bool(String field) {
        return body.path(field).asBoolean();
    }

    public @Nullable Long optLong(String field) {
        return body.hasNonNull(field) ? body.get(field).asLong() : null;
    }

    public int integer(String field) {
        return body.path(field).asInt();
    }

    public @Nullable List<String> optStrings(String field) {
        if (!body.hasNonNull(field)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        body.get(field).forEach(n -> out.add(n.asText()));
        return out;
    }

    public List<Long> longs(String field) {
        List<Long> out = new ArrayList<>();
        body.path(field).forEach(n -> out.add(n.asLong()));
        return out;
    }

    public @Nullable Map<String, String> optStringMap(String field) {
        if (!body.hasNonNull(field)) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        body.get(field)
                .fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** An integer query parameter within {@code [min, max]}, or {@code fallback} when absent. */
    public int queryInt(String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw AdminException.badRequest(
                        "invalid_parameter", "query parameter '" + name + "': must be " + min + ".." + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw AdminException.badRequest("invalid_parameter", "query parameter '" + name + "': expected an integer");
        }
    }

    public @Nullable String query(String name) {
        return ctx.queryParam(name);
    }

    /** The optional {@code draft} query parameter: which open draft an edit goes to. */
    public @Nullable Long draftParam() {
        String v = ctx.queryParam("draft");
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw AdminException.badRequest("invalid_parameter", "query parameter 'draft': expected a draft id");
        }
    }
}

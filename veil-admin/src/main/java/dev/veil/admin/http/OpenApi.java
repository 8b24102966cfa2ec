package dev.veil.admin.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.admin.auth.Permission;
import java.util.List;
import java.util.Locale;

/**
 * The OpenAPI 3.0 document of the admin API, generated from the route table: every route with its permission
 * ({@code x-veil-permission}), path parameters, request schema (the same {@link Body} the API validates with,
 * {@code additionalProperties: false}) and the error shape.
 */
final class OpenApi {

    private OpenApi() {}

    static String document(List<Route> routes) {
        ObjectNode root = AdminApi.JSON.createObjectNode();
        root.put("openapi", "3.0.3");
        ObjectNode info = root.putObject("info");
        info.put("title", "Veil admin API");
        info.put("version", "1");
        info.put(
                "description",
                "Sign in with POST /api/v1/auth/login (session cookie; send the returned csrfToken as X-CSRF-Token"
                        + " on every state-changing request) or send an API token as 'Authorization: Bearer veil_…'.");
        ObjectNode components = root.putObject("components");
        ObjectNode schemes = components.putObject("securitySchemes");
        schemes.putObject("session").put("type", "apiKey").put("in", "cookie").put("name", AdminApi.COOKIE);
        schemes.putObject("token").put("type", "http").put("scheme", "bearer");
        ObjectNode error = components.putObject("schemas").putObject("Error");
        error.put("type", "object");
        error.putArray("required").add("error");
        ObjectNode inner = error.putObject("properties").putObject("error");
        inner.put("type", "object");
        inner.putArray("required").add("code").add("message");
        ObjectNode props = inner.putObject("properties");
        props.putObject("code").put("type", "string");
        props.putObject("message").put("type", "string");
        ObjectNode paths = root.putObject("paths");
        for (Route r : routes) {
            ObjectNode path = paths.has(r.path()) ? (ObjectNode) paths.get(r.path()) : paths.putObject(r.path());
            path.set(r.method().name().toLowerCase(Locale.ROOT), operation(r));
        }
        return root.toPrettyString();
    }

    private static ObjectNode operation(Route r) {
        ObjectNode op = AdminApi.JSON.createObjectNode();
        op.put("operationId", operationId(r));
        op.put("summary", r.summary());
        op.putArray("tags").add(r.tag());
        op.put("x-veil-permission", r.permission().name().toLowerCase(Locale.ROOT));
        if (r.permission() == Permission.PUBLIC) {
            op.putArray("security");
        } else {
            ArrayNode security = op.putArray("security");
            security.addObject().putArray("session");
            security.addObject().putArray("token");
        }
        if (!r.pathParams().isEmpty()) {
            ArrayNode params = op.putArray("parameters");
            for (String p : r.pathParams()) {
                ObjectNode param = params.addObject();
                param.put("name", p).put("in", "path").put("required", true);
                param.putObject("schema").put("type", "string");
            }
        }
        if (r.body() != null) {
            ObjectNode body = op.putObject("requestBody");
            body.put("required", true);
            body.putObject("content").putObject("application/json").set("schema", schema(r.body()));
        }
        ObjectNode responses = op.putObject("responses");
        String ok = r.created() ? "201" : "200";
        responses.putObject(ok).put("description", "success");
        responses.putObject("204").put("description", "success, no content");
        for (String[] e : new String[][] {
            {"400", "invalid input (the message names the field)"},
            {"401", "not signed in, session expired or token invalid"},
            {"403", "not allowed for this role, or CSRF check failed"},
            {"404", "no such resource"},
            {"409", "conflict with the current state"},
            {"413", "body too large"},
            {"415", "body is not JSON"},
            {"422", "invalid policy"},
            {"429", "too many attempts"}
        }) {
            ObjectNode resp = responses.putObject(e[0]);
            resp.put("description", e[1]);
            resp.putObject("content")
                    .putObject("application/json")
                    .putObject("schema")
                    .put("$ref", "#/components/schemas/Error");
        }
        return op;
    }

    private static ObjectNode schema(Body body) {
        ObjectNode s = AdminApi.JSON.createObjectNode();
        s.put("type", "object");
        s.put("additionalProperties", false);
        ArrayNode required = AdminApi.JSON.createArrayNode();
        ObjectNode props = s.putObject("properties");
        for (Body.Field f : body.fields()) {
            ObjectNode p = props.putObject(f.name());
            p.put("description", f.description());
            switch (f.type()) {
                case STRING -> {
                    p.put("type", "string").put("maxLength", f.maxLength());
                    if (f.secret()) {
                        p.put("format", "password").put("writeOnly", true);
                    }
                }
                case BOOLEAN -> p.put("type", "boolean");
                case INTEGER -> p.put("type", "integer");
                case STRING_LIST -> {
                    p.put("type", "array").put("maxItems", f.maxLength());
                    p.putObject("items").put("type", "string");
                }
                case INTEGER_LIST -> {
                    p.put("type", "array").put("maxItems", f.maxLength());
                    p.putObject("items").put("type", "integer");
                }
                case STRING_MAP -> {
                    p.put("type", "object").put("maxProperties", f.maxLength());
                    p.putObject("additionalProperties").put("type", "string");
                }
            }
            if (f.required()) {
                required.add(f.name());
            }
        }
        if (!required.isEmpty()) {
            s.set("required", required);
        }
        return s;
    }

    private static String operationId(Route r) {
        StringBuilder b = new StringBuilder(r.method().name().toLowerCase(Locale.ROOT));
        for (String part : r.path().substring(AdminApi.BASE.length()).split("[/{}-]")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }
}

package dev.veil.admin.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.admin.AdminException;
import java.util.Iterator;
import java.util.Map;

/**
 * Checks a request body against a route's {@link Body}: a JSON object, no unknown fields, required fields
 * present, types and lengths as declared. Messages name the field and the limit, never the value.
 */
final class BodyValidator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BodyValidator() {}

    static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw AdminException.badRequest("invalid_json", "the request body is empty; expected a JSON object");
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw AdminException.badRequest("invalid_json", "expected a JSON object");
            }
            return n;
        } catch (java.io.IOException e) {
            // Jackson's message may quote the input; give the position only.
            throw AdminException.badRequest("invalid_json", "the request body is not valid JSON");
        }
    }

    static void check(JsonNode body, Body schema) {
        Map<String, Body.Field> fields = schema.byName();
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!fields.containsKey(name)) {
                throw AdminException.badRequest(
                        "unknown_field",
                        "field '" + truncate(name) + "' is not accepted here; accepted: " + schema.names());
            }
        }
        for (Body.Field f : schema.fields()) {
            JsonNode v = body.get(f.name());
            if (v == null || v.isNull()) {
                if (f.required()) {
                    throw AdminException.badRequest("missing_field", "field '" + f.name() + "' is required");
                }
                continue;
            }
            checkType(f, v);
        }
    }

    private static void checkType(Body.Field f, JsonNode v) {
        String name = f.name();
        switch (f.type()) {
            case STRING -> {
                if (!v.isTextual()) {
                    throw invalid(name, "expected a string");
                }
                length(name, v.asText(), f.maxLength());
            }
            case BOOLEAN -> {
                if (!v.isBoolean()) {
                    throw invalid(name, "expected true or false");
                }
            }
            case INTEGER -> {
                if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                    throw invalid(name, "expected an integer");
                }
            }
            case STRING_LIST, INTEGER_LIST -> {
                if (!v.isArray()) {
                    throw invalid(name, "expected an array");
                }
                if (v.size() > f.maxLength()) {
                    throw invalid(name, "has " + v.size() + " entries; the limit is " + f.maxLength());
                }
                for (int i = 0; i < v.size(); i++) {
                    JsonNode e = v.get(i);
                    if (f.type() == Body.Type.STRING_LIST) {
                        if (!e.isTextual()) {
                            throw invalid(name + "[" + i + "]", "expected a string");
                        }
                        length(name + "[" + i + "]", e.asText(), 2048);
                    } else if (!e.isIntegralNumber()) {
                        throw invalid(name + "[" + i + "]", "expected an integer");
                    }
                }
            }
            case STRING_MAP -> {
                if (!v.isObject()) {
                    throw invalid(name, "expected an object of strings");
                }
                if (v.size() > f.maxLength()) {
                    throw invalid(name, "has " + v.size() + " entries; the limit is " + f.maxLength());
                }
                var it = v.fields();
                while (it.hasNext()) {
                    var e = it.next();
                    String path = name + "." + truncate(e.getKey());
                    if (!e.getValue().isTextual()) {
                        throw invalid(path, "expected a string");
                    }
                    length(path, e.getValue().asText(), 2048);
                }
            }
        }
    }

    private static void length(String name, String value, int max) {
        if (value.length() > max) {
            throw invalid(name, "is " + value.length() + " characters; the limit is " + max);
        }
    }

    private static AdminException invalid(String name, String what) {
        return AdminException.badRequest("invalid_field", "field '" + name + "': " + what);
    }

    /** Field names come from the client: bound what is echoed. */
    private static String truncate(String name) {
        return name.length() <= 64 ? name : name.substring(0, 64) + "…";
    }
}

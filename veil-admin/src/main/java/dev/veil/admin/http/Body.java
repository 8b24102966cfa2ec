package dev.veil.admin.http;

import java.util.List;
import java.util.Map;

/**
 * The JSON object a route accepts: its fields, which are required, their types and limits. One declaration
 * drives both the request validation (unknown fields refused, types and lengths checked, messages naming the
 * field) and the route's schema in the OpenAPI document.
 *
 * @param fields the accepted fields, in documentation order
 */
public record Body(List<Field> fields) {

    /** Field types the admin API uses. */
    public enum Type {
        STRING,
        BOOLEAN,
        INTEGER,
        STRING_LIST,
        INTEGER_LIST,
        STRING_MAP
    }

    /**
     * @param name JSON field name
     * @param type its type
     * @param required whether it must be present
     * @param maxLength longest string (characters), or most entries of a list or map
     * @param description one sentence for the OpenAPI document
     * @param secret a write-only credential: documented as such ({@code writeOnly}, {@code format: password})
     */
    public record Field(String name, Type type, boolean required, int maxLength, String description, boolean secret) {}

    public static Body of(Field... fields) {
        return new Body(List.of(fields));
    }

    public static Field required(String name, Type type, int maxLength, String description) {
        return new Field(name, type, true, maxLength, description, false);
    }

    public static Field optional(String name, Type type, int maxLength, String description) {
        return new Field(name, type, false, maxLength, description, false);
    }

    public static Field secret(String name, boolean required, int maxLength, String description) {
        return new Field(name, Type.STRING, required, maxLength, description, true);
    }

    /** Field names, for "allowed: ..." in error messages. */
    public String names() {
        return String.join(", ", fields.stream().map(Field::name).toList());
    }

    public Map<String, Field> byName() {
        java.util.LinkedHashMap<String, Field> m = new java.util.LinkedHashMap<>();
        fields.forEach(f -> m.put(f.name(), f));
        return m;
    }
}

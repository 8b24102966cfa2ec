package dev.veil.admin.http;

import org.jspecify.annotations.Nullable;

/**
 * What a handler answers: a JSON value (serialized by the API), or text with a content type.
 *
 * @param status HTTP status
 * @param json the value to serialize as JSON, or null
 * @param text a text body, or null
 * @param contentType the text body's content type
 */
public record Response(
        int status, @Nullable Object json, @Nullable String text, String contentType) {

    public static Response ok(Object json) {
        return new Response(200, json, null, "application/json");
    }

    public static Response created(Object json) {
        return new Response(201, json, null, "application/json");
    }

    public static Response noContent() {
        return new Response(204, null, null, "application/json");
    }

    public static Response text(String contentType, String text) {
        return new Response(200, null, text, contentType);
    }
}

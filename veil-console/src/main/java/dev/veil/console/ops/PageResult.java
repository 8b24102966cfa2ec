package dev.veil.console.ops;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a console page answers: a status, a content type, the body and extra headers (downloads name their file;
 * pages that show a secret once forbid caching). Immutable.
 */
public record PageResult(int status, String contentType, byte[] body, Map<String, String> headers) {

    /** Header set on every page that shows a write key, token or setup link once. */
    public static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");

    public PageResult {
        headers = Map.copyOf(headers);
    }

    public static PageResult html(int status, String html) {
        return new PageResult(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static PageResult html(String html) {
        return html(200, html);
    }

    /** A page showing a secret once: never cached by the browser or a proxy. */
    public static PageResult once(String html) {
        return new PageResult(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), NO_STORE);
    }

    /** A file to download under {@code filename}. */
    public static PageResult download(String contentType, byte[] body, String filename) {
        return new PageResult(
                200, contentType, body, Map.of("Content-Disposition", "attachment; filename=\"" + filename + "\""));
    }

    /** A redirect after a successful form post (303: the browser follows with GET). */
    public static PageResult seeOther(String location) {
        return new PageResult(303, "text/plain; charset=utf-8", new byte[0], Map.of("Location", location));
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}

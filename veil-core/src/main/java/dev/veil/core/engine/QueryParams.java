package dev.veil.core.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads the decoded query parameters of a raw URL (first value wins), for campaign and click id fallbacks. The
 * result is immutable: it is cached with the parsed URL.
 */
final class QueryParams {

    private QueryParams() {}

    static Map<String, String> parse(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return Map.of();
        }
        int hash = url.indexOf('#', q);
        String query = hash < 0 ? url.substring(q + 1) : url.substring(q + 1, hash);
        Map<String, String> out = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = UrlSanitizer.decode(pair.substring(eq + 1), true);
            if (!value.isEmpty()) {
                out.putIfAbsent(UrlSanitizer.decode(pair.substring(0, eq), true), value);
            }
        }
        return Map.copyOf(out);
    }
}

package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as a fake server received it (before fault injection decided anything).
 *
 * @param method HTTP method
 * @param path request path
 * @param query query parameters (first value of each)
 * @param headers headers, names lower-cased
 * @param body raw body bytes (decompressed if the client sent gzip)
 */
public record ReceivedRequest(
        String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ReceivedRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as JSON; empty when it is not valid JSON. */
    public Optional<JsonNode> json() {
        try {
            return Optional.ofNullable(JSON.readTree(body));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A header by (case-insensitive) name, or empty string. */
    public String header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
}

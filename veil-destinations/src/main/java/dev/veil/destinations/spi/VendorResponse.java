package dev.veil.destinations.spi;

import java.util.List;
import java.util.Map;

/**
 * A vendor's answer.
 *
 * @param status HTTP status
 * @param headers response headers, names lower-cased
 * @param body the response body as text (vendors answer JSON)
 */
public record VendorResponse(int status, Map<String, List<String>> headers, String body) {
    public VendorResponse {
        headers = Map.copyOf(headers);
    }

    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? "" : values.get(0);
    }
}

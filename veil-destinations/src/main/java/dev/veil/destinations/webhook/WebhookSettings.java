package dev.veil.destinations.webhook;

import dev.veil.destinations.internal.Settings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A webhook destination's settings.
 *
 * @param url where batches are POSTed
 * @param signingSecret the HMAC key of {@code X-Veil-Signature} (secret)
 * @param headers extra request headers (from {@code headers}: {@code Name: value} entries separated by newlines or
 *     {@code ;})
 * @param authorization an {@code Authorization} header value (secret), or empty
 * @param maxBatchSize events per request
 */
public record WebhookSettings(
        URI url, String signingSecret, Map<String, String> headers, String authorization, int maxBatchSize) {

    private static final Set<String> FORBIDDEN = Set.of(
            "content-type",
            "content-length",
            "host",
            "connection",
            "authorization",
            WebhookSignature.HEADER.toLowerCase(Locale.ROOT));

    public WebhookSettings {
        headers = Map.copyOf(headers);
    }

    static WebhookSettings from(String destinationId, Map<String, String> values) {
        Settings s = new Settings("webhook", destinationId, values);
        String url = s.required("url");
        return new WebhookSettings(
                s.uri("url", url),
                s.required("signingSecret"),
                parseHeaders(destinationId, s.optional("headers", "")),
                s.optional("authorization", ""),
                s.integer("maxBatchSize", 100, 1, 1000));
    }

    static Map<String, String> parseHeaders(String destinationId, String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        for (String entry : spec.split("[\\n;]")) {
            i++;
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String name = colon < 0 ? "" : entry.substring(0, colon).trim();
            if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                throw new IllegalArgumentException("webhook destination " + destinationId + ": setting 'headers'"
                        + " entry " + i + " is not 'Name: value'");
            }
            if (FORBIDDEN.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("webhook destination " + destinationId + ": setting 'headers'"
                        + " entry " + i + " sets " + name + ", which Veil sets itself (use 'authorization')");
            }
            out.put(name, entry.substring(colon + 1).trim());
        }
        return out;
    }

    byte[] secretBytes() {
        return signingSecret.getBytes(StandardCharsets.UTF_8);
    }

    /** Header values are not printed: operators put tokens in them. */
    @Override
    public String toString() {
        return "WebhookSettings[url=" + url.getScheme() + "://" + url.getAuthority() + url.getPath()
                + ", signingSecret=██, headers=" + headers.keySet() + ", authorization=██]";
    }
}

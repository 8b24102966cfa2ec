package dev.veil.destinations.spi;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request to a vendor. The URI and headers may hold credentials (GA4's {@code api_secret}, Meta's
 * {@code access_token}, an {@code Authorization} header): never log them; {@link #toString()} prints neither.
 *
 * @param method HTTP method, usually {@code POST}
 * @param uri the full URI
 * @param headers request headers (Content-Type included)
 * @param body the request body
 * @param messageIds the Veil message ids carried, in body order (for partial failures and dead letters)
 */
public record OutboundRequest(
        String method, URI uri, Map<String, String> headers, byte[] body, List<String> messageIds) {
    public OutboundRequest {
        headers = Map.copyOf(headers);
        messageIds = List.copyOf(messageIds);
    }

    @Override
    public String toString() {
        return "OutboundRequest[" + method + " " + uri.getHost() + uri.getPath() + ", " + messageIds.size()
                + " events, " + body.length + " bytes]";
    }
}

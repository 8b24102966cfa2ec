package dev.veil.destinations.testing;

import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.VendorResponse;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Sends an {@link OutboundRequest} with the JDK client, as the delivery engine does. */
public final class VendorHttp {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection");

    private VendorHttp() {}

    public static VendorResponse send(OutboundRequest r) {
        HttpRequest.Builder b = HttpRequest.newBuilder(r.uri())
                .timeout(Duration.ofSeconds(10))
                .method(r.method(), HttpRequest.BodyPublishers.ofByteArray(r.body()));
        r.headers().forEach((k, v) -> {
            if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT))) {
                b.header(k, v);
            }
        });
        try {
            HttpResponse<String> resp = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, List<String>> headers = new HashMap<>();
            resp.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            return new VendorResponse(resp.statusCode(), headers, resp.body());
        } catch (Exception e) {
            throw new IllegalStateException("sending to the fake failed", e);
        }
    }
}

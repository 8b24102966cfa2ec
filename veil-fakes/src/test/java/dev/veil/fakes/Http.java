package dev.veil.fakes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A tiny JDK HTTP client for the fakes' own tests. */
final class Http {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {}

    static HttpResponse<String> post(String url, String body) throws Exception {
        return post(url, body, Map.of(), Duration.ofSeconds(10));
    }

    static HttpResponse<String> post(String url, String body, Map<String, String> headers) throws Exception {
        return post(url, body, headers, Duration.ofSeconds(10));
    }

    static HttpResponse<String> post(String url, String body, Map<String, String> headers, Duration timeout)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

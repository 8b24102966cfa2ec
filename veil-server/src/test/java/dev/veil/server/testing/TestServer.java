package dev.veil.server.testing;

import dev.veil.server.VeilServer;
import dev.veil.server.config.Cidr;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.source.Source;
import dev.veil.server.source.StaticSourceRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Starts a real Veil server on 127.0.0.1, port 0, with a SQLite event log in a temporary directory ({@link TestEventLog}) and one source. */
public final class TestServer implements AutoCloseable {

    public static final String WRITE_KEY = "test-write-key-123";
    public static final String ORIGIN = "https://www.example-health.org";

    public final TestEventLog log = new TestEventLog();
    public final VeilServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    public TestServer() {
        this(ServerConfig.defaults(), Clock.systemUTC());
    }

    public TestServer(ServerConfig config, Clock clock) {
        StaticSourceRegistry sources =
                new StaticSourceRegistry().add(new Source("website", "Website", List.of(ORIGIN)), WRITE_KEY);
        ServerConfig c = config.withEphemeralPorts();
        server = VeilServer.start(c, sources, log, clock, List.of());
    }

    public static ServerConfig trustingLocalhost() {
        return ServerConfig.defaults().withTrustedProxies(List.of(Cidr.parse("127.0.0.1/32")));
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    public static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * POSTs the JSON {@code body} to {@code /v1/batch} of a server on 127.0.0.1:{@code port} as a client would, with
     * {@code writeKey} as Basic auth: for the end-to-end tests that start their server and pipeline themselves.
     */
    public static HttpResponse<String> postBatch(int port, String writeKey, String body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/batch"))
                .header("Content-Type", "application/json")
                .header("Authorization", basic(writeKey))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /**
     * POSTs {@code body} with the test write key as Basic auth and JSON content type; {@code headers} are
     * name/value pairs that add or replace headers, a value of {@code "-"} removes one.
     */
    public HttpResponse<String> post(String path, String body, String... headers) {
        return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public HttpResponse<String> post(String path, byte[] body, String... headers) {
        return send(postRequest(path, body, headers));
    }

    /**
     * Like {@link #post(String, byte[], String...)}, but on a connection of its own, closed afterwards: for requests
     * the server may refuse before reading their body. Jetty then answers with {@code Connection: close} and closes
     * the connection, so such a request must not share a pooled keep-alive connection with the requests before and
     * after it (a POST on a connection the server has just closed fails with "header parser received no bytes", and
     * the JDK client retries only idempotent requests).
     */
    public HttpResponse<String> postOnNewConnection(String path, byte[] body, String... headers) {
        try (HttpClient once = HttpClient.newHttpClient()) {
            return once.send(postRequest(path, body, headers), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest postRequest(String path, byte[] body, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        Map<String, String> h = new java.util.LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Authorization", basic(WRITE_KEY));
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        h.forEach((k, v) -> {
            if (v != null && !v.equals("-")) {
                b.header(k, v);
            }
        });
        return b.build();
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
    }

    /** GET on the management listener ({@code /metrics}, admin API). */
    public HttpResponse<String> getManagement(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.managementPort() + path))
                .GET()
                .build());
    }

    @Override
    public void close() {
        server.close();
        log.close();
    }
}

package dev.veil.server.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Veil origin the browser tests talk to: serves the SDK (through {@link SdkRoutes}), test pages carrying the
 * snippet, and a stand-in for the ingest API ({@code POST /v1/batch}) that checks the write key in the body,
 * dedups on messageId like Veil's event log and records how each request was sent.
 *
 * <p>This is the one place to change to run the browser tests against the real ingest server.
 */
final class SdkTestServer implements AutoCloseable {

    static final String WRITE_KEY = "wk_browser_test";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request to the ingest API, as the browser sent it. */
    record Batch(String fetchMode, String contentType, boolean authorizationHeader) {}

    private final List<Batch> batches = new CopyOnWriteArrayList<>();
    private final Map<String, JsonNode> events = new LinkedHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile Map<String, ?> options = Map.of();
    private volatile String inlineScript = "";
    private volatile String headScript = "";
    private final Javalin app;
    private final SdkRoutes routes;

    private SdkTestServer() {
        SdkRoutes[] registered = new SdkRoutes[1];
        app = Javalin.create(cfg -> {
            registered[0] = SdkRoutes.register(cfg, SdkRoutes.DEFAULT_BASE_PATH);
            cfg.routes.post("/v1/batch", ctx -> {
                if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    ctx.header("Retry-After", "1");
                    ctx.status(503).json(Map.of("error", Map.of("code", "unavailable", "message", "test fault")));
                    return;
                }
                JsonNode body = JSON.readTree(ctx.body());
                if (!WRITE_KEY.equals(body.path("writeKey").asText())) {
                    ctx.status(401).json(Map.of("error", Map.of("code", "unauthorized", "message", "bad write key")));
                    return;
                }
                batches.add(new Batch(
                        String.valueOf(ctx.header("Sec-Fetch-Mode")),
                        String.valueOf(ctx.contentType()),
                        ctx.header("Authorization") != null));
                synchronized (events) {
                    // Like Veil's event log: a messageId seen before is a duplicate, not a new event.
                    body.path("batch").forEach(e -> {
                        if (events.putIfAbsent(e.path("messageId").asText(), e) != null) {
                            duplicates.incrementAndGet();
                        }
                    });
                }
                ctx.json(Map.of("success", true));
            });
            cfg.routes.get("/site/*", ctx -> ctx.html(page(ctx.path())));
            cfg.routes.get("/plain", ctx -> ctx.html("<!doctype html><title>Plain</title><p>No snippet here.</p>"));
            cfg.routes.get("/unit", ctx -> ctx.html(unitPage()));
            cfg.routes.get(
                    "/unit/tests.js", ctx -> ctx.contentType("text/javascript").result(resource("unit-tests.js")));
        });
        app.start("127.0.0.1", 0);
        routes = registered[0];
    }

    static SdkTestServer start() {
        return new SdkTestServer();
    }

    /** Absolute URL of a path on this origin. */
    String url(String path) {
        return "http://127.0.0.1:" + app.port() + path;
    }

    /** "127.0.0.1:port", the only host test pages may talk to. */
    String hostAndPort() {
        return "127.0.0.1:" + app.port();
    }

    SdkRoutes routes() {
        return routes;
    }

    /** SDK options the snippet of the test pages carries (writeKey is always set). */
    SdkTestServer options(Map<String, ?> options) {
        this.options = Map.copyOf(options);
        return this;
    }

    /** JavaScript that runs right after the snippet, in the same script element: before the SDK loaded. */
    SdkTestServer inline(String script) {
        this.inlineScript = script;
        return this;
    }

    /** JavaScript that runs before the snippet. */
    SdkTestServer head(String script) {
        this.headScript = script;
        return this;
    }

    /** The next {@code n} ingest requests answer 503. */
    void failNext(int n) {
        failures.set(n);
    }

    List<Batch> batches() {
        return List.copyOf(batches);
    }

    /** Every event received so far, once each, in arrival order. */
    List<JsonNode> events() {
        synchronized (events) {
            return List.copyOf(events.values());
        }
    }

    /** Messages received again (same messageId): the SDK should send each event once. */
    long duplicatesReceived() {
        return duplicates.get();
    }

    private String page(String path) {
        String snippet = SdkSnippet.render(routes.loaderPath(), WRITE_KEY, options);
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>Page %s</title>
                <script>%s</script>
                %s
                <script>%s</script></head>
                <body><h1>Test page</h1><a id="next" href="/site/next">next</a>
                <form><input id="field" name="condition" value="PHI-CANARY-diabetes"></form>
                <p>PHI-CANARY-page-text</p></body></html>
                """.formatted(path, headScript, snippet, inlineScript);
    }

    private String unitPage() {
        // The debug (unminified) build keeps the test-only internals that the minified build drops.
        String snippet = SdkSnippet.render(routes.debugPath(), WRITE_KEY, Map.of("autoPage", false));
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>SDK unit tests</title>
                <script>window.__VEIL_TEST__ = true;</script>
                %s
                <script src="/unit/tests.js"></script></head><body></body></html>
                """.formatted(snippet);
    }

    private static byte[] resource(String name) {
        try (InputStream in = SdkTestServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource dev/veil/server/sdk/" + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}

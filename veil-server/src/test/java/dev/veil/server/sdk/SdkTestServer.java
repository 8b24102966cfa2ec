package dev.veil.server.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.SourceSpec.IdentityCookie;
import dev.veil.server.VeilServer;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.source.Source;
import dev.veil.server.source.StaticSourceRegistry;
import dev.veil.server.testing.MemoryEventLog;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The Veil origin the browser tests talk to: a real Veil server (ingest API, in-memory event log, one source)
 * that serves the SDK (through {@link SdkRoutes}, as every Veil server does) and test pages carrying the snippet, so the pages are
 * first-party to Veil as on a real site.
 *
 * <p>Events are read back from the event log. A filter in front of {@code POST /v1/batch} records how each
 * request was sent (fetch mode, content type, whether it carried an Authorization header) and can inject
 * 503 answers.
 */
final class SdkTestServer implements AutoCloseable {

    static final String WRITE_KEY = "wk_browser_test";

    /** One request to the ingest API, as the browser sent it. */
    record Batch(String fetchMode, String contentType, boolean authorizationHeader) {}

    private final List<Batch> batches = new CopyOnWriteArrayList<>();
    private final List<Batch> refusedWhileDown = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile boolean down;
    private final MemoryEventLog log = new MemoryEventLog();
    private volatile Map<String, ?> options = Map.of();
    private volatile String inlineScript = "";
    private volatile String headScript = "";
    private final VeilServer server;
    private final int port;

    private SdkTestServer(List<String> allowedOrigins, @Nullable String siteHost, @Nullable IdentityCookie cookie) {
        port = freePort();
        var origins = new ArrayList<>(allowedOrigins.isEmpty() ? List.of("http://127.0.0.1:" + port) : allowedOrigins);
        if (siteHost != null) {
            origins.add("http://" + siteHost + ":" + port);
        }
        var sources = new StaticSourceRegistry().add(new Source("website", "Test site", origins, cookie), WRITE_KEY);
        server = VeilServer.start(
                ServerConfig.defaults().withEphemeralPorts().withListen(new ServerConfig.Listen("127.0.0.1", port)),
                sources,
                log,
                Clock.systemUTC(),
                List.of(this::extend));
    }

    private void extend(JavalinConfig cfg) {
        cfg.routes.before("/v1/batch", ctx -> {
            if (down) {
                // What a load balancer answers while the Veil behind it is down; nothing reaches the event log.
                refusedWhileDown.add(batch(ctx));
                ctx.status(503).result("upstream unavailable");
                ctx.skipRemainingHandlers();
                return;
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ctx.header("Retry-After", "1");
                ctx.status(503)
                        .contentType("application/json")
                        .result("{\"error\":{\"code\":\"unavailable\",\"message\":\"test fault\"}}");
                ctx.skipRemainingHandlers();
                return;
            }
            batches.add(batch(ctx));
        });
        // These pages stand for a customer's site with the pasted (inline) snippet: their CSP is the customer's
        // choice, not the strict one Veil sends with its own pages (SecurityHeaders leaves a page's own CSP alone).
        cfg.routes.get("/site/*", ctx -> customerSite(ctx).html(page(ctx.path())));
        cfg.routes.get(
                "/plain", ctx -> customerSite(ctx).html("<!doctype html><title>Plain</title><p>No snippet here.</p>"));
        cfg.routes.get("/unit", ctx -> customerSite(ctx).html(unitPage()));
        cfg.routes.get(
                "/unit/tests.js", ctx -> ctx.contentType("text/javascript").result(resource("unit-tests.js")));
    }

    private static Batch batch(io.javalin.http.Context ctx) {
        return new Batch(
                String.valueOf(ctx.header("Sec-Fetch-Mode")),
                String.valueOf(ctx.header("Content-Type")),
                ctx.header("Authorization") != null);
    }

    private static io.javalin.http.Context customerSite(io.javalin.http.Context ctx) {
        return ctx.header("Content-Security-Policy", "script-src 'self' 'unsafe-inline'")
                .header("Referrer-Policy", "strict-origin-when-cross-origin"); // browsers' default
    }

    static SdkTestServer start() {
        return new SdkTestServer(List.of(), null, null);
    }

    /** A server whose source allows only these origins (not its own, unless listed). */
    static SdkTestServer startAllowing(String... origins) {
        return new SdkTestServer(List.of(origins), null, null);
    }

    /**
     * A server whose source also allows pages on {@code http://<siteHost>:<port>} (a host name the browser maps to
     * 127.0.0.1) and sets the identity cookie.
     */
    static SdkTestServer startWithIdentityCookie(String siteHost, IdentityCookie cookie) {
        return new SdkTestServer(List.of(), siteHost, cookie);
    }

    /** Absolute URL of a path on this server, reached under another host name that resolves to it. */
    String url(String host, String path) {
        return "http://" + host + ":" + port + path;
    }

    /** Absolute URL of a path on this origin. */
    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** "127.0.0.1:port", the only host test pages may talk to. */
    String hostAndPort() {
        return "127.0.0.1:" + port;
    }

    SdkRoutes routes() {
        return server.sdk();
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

    /** The next {@code n} ingest requests answer 503 with Retry-After: 1. */
    void failNext(int n) {
        failures.set(n);
    }

    /**
     * While down, every ingest request is answered {@code 503} (without {@code Retry-After}) and nothing is stored,
     * as a load balancer answers for a Veil that is not running; the SDK and its page are still served.
     */
    void down(boolean down) {
        this.down = down;
    }

    /** Ingest requests that arrived while {@link #down}. */
    List<Batch> refusedWhileDown() {
        return List.copyOf(refusedWhileDown);
    }

    /** Ingest requests that reached the ingest API (while not down and not failed on purpose). */
    List<Batch> batches() {
        return List.copyOf(batches);
    }

    /** Every event in Veil's event log, in the order it was appended. */
    List<JsonNode> events() {
        return log.events().stream()
                .map(RawEvent::message)
                .map(JsonNode.class::cast)
                .toList();
    }

    /** The raw events as stored (with the request's client IP, user agent and GPC flag). */
    List<RawEvent> rawEvents() {
        return log.events();
    }

    /** Messages the server received again (same messageId) and dropped as duplicates. */
    long duplicatesReceived() {
        return server.stats().snapshot().duplicates();
    }

    private String page(String path) {
        String snippet = SdkSnippet.render(routes().loaderPath(), WRITE_KEY, options);
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
        String snippet = SdkSnippet.render(routes().debugPath(), WRITE_KEY, Map.of("autoPage", false));
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>SDK unit tests</title>
                <script>window.__VEIL_TEST__ = true;</script>
                %s
                <script src="/unit/tests.js"></script></head><body></body></html>
                """.formatted(snippet);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        server.close();
    }
}

package dev.veil.server;

import dev.veil.server.config.ServerConfig;
import dev.veil.server.ingest.ErrorResponses;
import dev.veil.server.ingest.IngestApi;
import dev.veil.server.ingest.IngestStats;
import dev.veil.server.sdk.SdkRoutes;
import dev.veil.server.source.SourceRegistry;
import dev.veil.store.EventLog;
import dev.veil.store.StoreException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running HTTP server: ingest API, the browser SDK (below {@value SdkRoutes#DEFAULT_BASE_PATH}),
 * {@code /healthz}, {@code /readyz} and {@code /metrics}, plus whatever extensions the caller adds (demo site, console). It does not own the event log: the caller closes it after
 * the server.
 */
public final class VeilServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VeilServer.class);

    private final Javalin app;
    private final IngestStats stats;
    private final PrometheusMeterRegistry registry;
    private final SdkRoutes sdk;
    private final AtomicReference<Supplier<Map<String, String>>> paused;

    private VeilServer(
            Javalin app,
            IngestStats stats,
            PrometheusMeterRegistry registry,
            SdkRoutes sdk,
            AtomicReference<Supplier<Map<String, String>>> paused) {
        this.app = app;
        this.stats = stats;
        this.registry = registry;
        this.sdk = sdk;
        this.paused = paused;
    }

    /**
     * Starts listening on {@code config.listen()} (port 0 picks a free port).
     *
     * @param extensions more routes or static files, applied after the built-in routes
     */
    public static VeilServer start(
            ServerConfig config,
            SourceRegistry sources,
            EventLog log,
            Clock clock,
            List<Consumer<JavalinConfig>> extensions) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IngestStats stats = new IngestStats();
        IngestApi ingest = new IngestApi(config, sources, log, registry, stats, clock);
        SdkRoutes[] sdk = new SdkRoutes[1];
        AtomicReference<Supplier<Map<String, String>>> paused = new AtomicReference<>(Map::of);
        Javalin app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.concurrency.useVirtualThreads = true;
            c.jetty.host = config.listen().host();
            c.jetty.port = config.listen().port();
            // Jetty must not answer Server/X-Powered-By style fingerprints or dates we do not need.
            c.jetty.modifyHttpConfiguration(h -> h.setSendServerVersion(false));
            ingest.register(c.routes);
            // Served from Veil's own origin so that the site's snippet stays first-party.
            sdk[0] = SdkRoutes.register(c, SdkRoutes.DEFAULT_BASE_PATH);
            c.routes.get("/healthz", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
            c.routes.get("/readyz", ctx -> {
                try {
                    log.headOffset();
                    // Ingest is ready even when a destination is paused: its events wait durably in the log.
                    ctx.json(readiness(paused.get().get()));
                } catch (RuntimeException e) {
                    LOG.warn(
                            "readyz: event log not reachable ({})", e.getClass().getSimpleName());
                    ErrorResponses.write(ctx, 503, "store_unavailable", "the event log is not reachable");
                }
            });
            c.routes.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(registry.scrape()));
            c.routes.exception(StoreException.class, (e, ctx) -> {
                LOG.error("ingest: event log append failed: {}", e.getMessage());
                ErrorResponses.write(ctx, 503, "store_unavailable", "events could not be made durable; retry later");
            });
            c.routes.exception(Exception.class, (e, ctx) -> {
                // Log the type and where, never the message: it may quote request content.
                LOG.error("request {} failed: {}", ctx.path(), e.getClass().getName());
                ErrorResponses.write(ctx, 500, "internal_error", "the server failed to handle the request");
            });
            c.routes.error(
                    404,
                    ctx -> ErrorResponses.write(
                            ctx, 404, "not_found", "no route for " + ctx.method() + " " + ctx.path()));
            for (Consumer<JavalinConfig> ext : extensions) {
                ext.accept(c);
            }
        });
        app.start();
        LOG.info("listening on {}:{}", config.listen().host(), app.port());
        return new VeilServer(app, stats, registry, sdk[0], paused);
    }

    private static Map<String, Object> readiness(Map<String, String> pausedDestinations) {
        if (pausedDestinations.isEmpty()) {
            return Map.of("status", "ready");
        }
        return Map.of("status", "ready", "paused_destinations", new TreeMap<>(pausedDestinations));
    }

    /**
     * Makes {@code /readyz} list the destinations whose vendor refuses their credentials, with the (PHI-free)
     * reason, e.g. {@code {"status":"ready","paused_destinations":{"meta":"meta: error code 190 (OAuthException)"}}}.
     */
    public void reportPausedDestinations(Supplier<Map<String, String>> source) {
        paused.set(source);
    }

    /** The browser SDK's routes on this server, to render a snippet or read the versioned URL. */
    public SdkRoutes sdk() {
        return sdk;
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return app.port();
    }

    /** The server's metrics registry (served at {@code /metrics}), for other parts to add their meters. */
    public io.micrometer.core.instrument.MeterRegistry registry() {
        return registry;
    }

    /** Counts of accepted and refused messages since start. */
    public IngestStats stats() {
        return stats;
    }

    @Override
    public void close() {
        app.stop();
        registry.close();
    }
}

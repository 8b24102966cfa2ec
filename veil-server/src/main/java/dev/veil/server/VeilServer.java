package dev.veil.server;

import dev.veil.http.HardenedListener;
import dev.veil.http.TlsSettings;
import dev.veil.server.config.Cidr;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.http.IngestRateLimits;
import dev.veil.server.ingest.ErrorResponses;
import dev.veil.server.ingest.IngestApi;
import dev.veil.server.ingest.IngestStats;
import dev.veil.server.sdk.SdkRoutes;
import dev.veil.server.source.SourceRegistry;
import dev.veil.store.EventLog;
import dev.veil.store.StoreException;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running HTTP server, on two listeners. The public one ({@code listen}) serves the ingest API, the browser SDK
 * (below {@value SdkRoutes#DEFAULT_BASE_PATH}), {@code /healthz}, {@code /readyz} and the public extensions (demo
 * site). The management one ({@code management}, loopback by default) serves {@code /metrics}, {@code /healthz},
 * {@code /readyz} and the management extensions (admin API, console): nothing there is reachable through the
 * public port. Both apply the {@code http} limits against slow clients. It does not own the event log: the caller
 * closes it after the server.
 */
public final class VeilServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VeilServer.class);

    private final Javalin app;
    private final Javalin management;
    private final IngestStats stats;
    private final PrometheusMeterRegistry registry;
    private final SdkRoutes sdk;
    private final AtomicReference<Supplier<Map<String, String>>> paused;
    private final FailureLog appendFailures;

    /** How often repeated event log append failures are summarized in the log (the first is logged at once). */
    static final java.time.Duration FAILURE_SUMMARY_INTERVAL = java.time.Duration.ofSeconds(60);

    private VeilServer(
            Javalin app,
            Javalin management,
            IngestStats stats,
            PrometheusMeterRegistry registry,
            SdkRoutes sdk,
            AtomicReference<Supplier<Map<String, String>>> paused,
            FailureLog appendFailures) {
        this.appendFailures = appendFailures;
        this.app = app;
        this.management = management;
        this.stats = stats;
        this.registry = registry;
        this.sdk = sdk;
        this.paused = paused;
    }

    /**
     * Starts listening on {@code config.listen()} and {@code config.management()} (port 0 picks a free port).
     *
     * @param extensions more public routes or static files, applied after the built-in routes
     */
    public static VeilServer start(
            ServerConfig config,
            SourceRegistry sources,
            EventLog log,
            Clock clock,
            List<Consumer<JavalinConfig>> extensions) {
        return start(config, sources, log, clock, extensions, List.of());
    }

    /**
     * Starts listening on {@code config.listen()} and {@code config.management()} (port 0 picks a free port).
     *
     * @param extensions more public routes or static files, applied after the built-in routes
     * @param managementExtensions routes for the management listener only (admin API, console)
     */
    public static VeilServer start(
            ServerConfig config,
            SourceRegistry sources,
            EventLog log,
            Clock clock,
            List<Consumer<JavalinConfig>> extensions,
            List<Consumer<JavalinConfig>> managementExtensions) {
        return start(config, sources, log, clock, extensions, managementExtensions, Readiness.ready());
    }

    /**
     * Starts listening on {@code config.listen()} and {@code config.management()} (port 0 picks a free port).
     *
     * @param extensions more public routes or static files, applied after the built-in routes
     * @param managementExtensions routes for the management listener only (admin API, console)
     * @param readiness the pipeline's state for {@code /readyz} (e.g. not ready until delivery runs)
     */
    public static VeilServer start(
            ServerConfig config,
            SourceRegistry sources,
            EventLog log,
            Clock clock,
            List<Consumer<JavalinConfig>> extensions,
            List<Consumer<JavalinConfig>> managementExtensions,
            Readiness readiness) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IngestStats stats = new IngestStats();
        IngestRateLimits rateLimits = new IngestRateLimits(config);
        IngestApi ingest = new IngestApi(config, sources, log, registry, stats, clock, rateLimits);
        SdkRoutes[] sdk = new SdkRoutes[1];
        AtomicReference<Supplier<Map<String, String>>> paused = new AtomicReference<>(Map::of);
        // A full disk refuses every append: log the first, then a summary per interval, never one line per request.
        FailureLog appendFailures = FailureLog.every(LOG, "ingest: event log append", FAILURE_SUMMARY_INTERVAL);
        Counter storeUnavailable = Counter.builder("veil.ingest.store.unavailable")
                .description("requests answered 503 store_unavailable: the event log could not make their events"
                        + " durable")
                .register(registry);
        Javalin app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.concurrency.useVirtualThreads = true;
            listener("public", config.listen(), config, config.tls()).applyTo(c, registry);
            rateLimits.register(c);
            ingest.register(c.routes);
            // Served from Veil's own origin so that the site's snippet stays first-party.
            sdk[0] = SdkRoutes.register(c, SdkRoutes.DEFAULT_BASE_PATH);
            health(c, log, paused, readiness);
            c.routes.exception(StoreException.class, (e, ctx) -> {
                storeUnavailable.increment();
                appendFailures.failed(String.valueOf(e.getMessage()));
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
        Javalin management = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.concurrency.useVirtualThreads = true;
            listener("management", managementAddress(config), config, null).applyTo(c, registry);
            health(c, log, paused, readiness);
            c.routes.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(registry.scrape()));
            c.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error(
                        "management request {} failed: {}",
                        ctx.path(),
                        e.getClass().getName());
                ErrorResponses.write(ctx, 500, "internal_error", "the server failed to handle the request");
            });
            c.routes.error(
                    404,
                    ctx -> ErrorResponses.write(
                            ctx, 404, "not_found", "no route for " + ctx.method() + " " + ctx.path()));
            for (Consumer<JavalinConfig> ext : managementExtensions) {
                ext.accept(c);
            }
        });
        try {
            app.start();
            try {
                management.start();
            } catch (RuntimeException e) {
                app.stop();
                throw e;
            }
        } catch (RuntimeException e) {
            appendFailures.close();
            throw e;
        }
        LOG.info(
                "listening on {}:{}, management on {}:{}",
                config.listen().host(),
                app.port(),
                config.management().host(),
                management.port());
        return new VeilServer(app, management, stats, registry, sdk[0], paused, appendFailures);
    }

    /**
     * The management address; a server whose public port is a free one ({@code 0}: tests, embedding) takes a free
     * management port too, so that two of them never fight over the fixed default.
     */
    private static ServerConfig.Listen managementAddress(ServerConfig config) {
        ServerConfig.Listen m = config.management();
        return config.listen().port() == 0 ? new ServerConfig.Listen(m.host(), 0) : m;
    }

    private static HardenedListener listener(
            String name, ServerConfig.Listen listen, ServerConfig config, @Nullable TlsSettings tls) {
        List<Cidr> proxies = config.trustedProxies();
        return new HardenedListener(
                name,
                listen.host(),
                listen.port(),
                config.http(),
                ip -> proxies.stream().anyMatch(p -> p.contains(ip)),
                tls);
    }

    private static void health(
            JavalinConfig c, EventLog log, AtomicReference<Supplier<Map<String, String>>> paused, Readiness readiness) {
        // Liveness: the process answers. Restarting it would not help a full disk or a failing start-up step.
        c.routes.get("/healthz", ctx -> ctx.contentType("application/json").result("{\"status\":\"ok\"}"));
        c.routes.get("/readyz", ctx -> {
            boolean writable;
            try {
                writable = log.writable();
            } catch (RuntimeException e) {
                LOG.warn("readyz: event log not reachable ({})", e.getClass().getSimpleName());
                writable = false;
            }
            if (!writable) {
                ErrorResponses.write(
                        ctx, 503, "store_unavailable", "the event log cannot make events durable now (e.g. disk full)");
                return;
            }
            var reason = readiness.reason();
            if (reason.isPresent()) {
                ErrorResponses.write(ctx, 503, "not_ready", reason.get());
                return;
            }
            // Ingest is ready even when a destination is paused: its events wait durably in the log.
            ctx.json(readiness(paused.get().get()));
        });
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

    /** The management listener's bound port ({@code /metrics}, admin API). */
    public int managementPort() {
        return management.port();
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
        management.stop();
        appendFailures.close();
        registry.close();
    }
}

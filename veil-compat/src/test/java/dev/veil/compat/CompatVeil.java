package dev.veil.compat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.core.event.RawEvent;
import dev.veil.fakes.FakeWebhookReceiver;
import dev.veil.server.EmbeddedStores;
import dev.veil.server.VeilServer;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.pipeline.ConfiguredConnectors;
import dev.veil.server.pipeline.Pipeline;
import dev.veil.server.source.Source;
import dev.veil.server.source.StaticSourceRegistry;
import dev.veil.store.EventLog;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A whole Veil as {@code veil serve} runs it: the ingest API over the embedded SQLite event log, and delivery
 * through the privacy engine to a webhook destination whose receiver is a strict fake. One source, whose write key
 * is {@link #WRITE_KEY}, allows the test site's origin.
 *
 * <p>Every request to the ingest API is recorded (method, path, headers) and the next {@code n} can be answered
 * {@code 503} ({@link #failNext}).
 */
final class CompatVeil implements AutoCloseable {

    static final String WRITE_KEY = "compat-write-key-2718";
    static final String TRACK_EVENT = "Appointment Booked";

    /** One request the ingest API received, with its headers (lower-case names). */
    record Seen(String method, String path, boolean query, Map<String, String> headers, boolean injected503) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }
    }

    private final EmbeddedStores stores;
    private final FakeWebhookReceiver destination;
    private final VeilServer server;
    private final Pipeline pipeline;
    private final AtomicInteger failures = new AtomicInteger();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private CompatVeil(Path dir, List<String> allowedOrigins) {
        stores = EmbeddedStores.open(dir, MasterKey.random(), EventLogOptions.defaults());
        destination = FakeWebhookReceiver.start("compat-webhook-secret");
        try {
            Path secret = dir.resolve("webhook.secret");
            Files.writeString(secret, "compat-webhook-secret\n");
            var sources = new StaticSourceRegistry().add(new Source("site", "Test site", allowedOrigins), WRITE_KEY);
            server = VeilServer.start(
                    ServerConfig.defaults().withListen(new ServerConfig.Listen("127.0.0.1", 0)),
                    sources,
                    stores.eventLog(),
                    Clock.systemUTC(),
                    List.of(this::recordAndInjectFaults));
            pipeline = Pipeline.start(
                    stores,
                    dir,
                    server.registry(),
                    ConfiguredConnectors.system(),
                    new Pipeline.PolicyFile("compat.yaml", policy(destination.baseUrl(), secret)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CompatVeil start(Path dir, String allowedOrigin) {
        return new CompatVeil(dir, List.of(allowedOrigin));
    }

    /** Every call type is forwarded to the webhook; the track event by its name. */
    private static String policy(String hookUrl, Path secret) {
        return """
                version: 1
                destinations:
                  - id: hook
                    type: webhook
                    settings:
                      url: %s/hooks/veil
                      signingSecret: ${file:%s}
                    events:
                      pages: true
                      identify: true
                      group: true
                      alias: true
                      allow:
                        - name: "%s"
                """.formatted(hookUrl, secret.toAbsolutePath(), TRACK_EVENT);
    }

    private void recordAndInjectFaults(JavalinConfig cfg) {
        cfg.routes.before("/v1/*", this::record);
        cfg.routes.before("/beacon/*", this::record);
    }

    private void record(Context ctx) {
        if (!ctx.method().name().equals("POST")) {
            return;
        }
        Map<String, String> headers = new TreeMap<>();
        ctx.headerMap().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
        boolean fail = failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        seen.add(new Seen(ctx.method().name(), ctx.path(), ctx.queryString() != null, headers, fail));
        if (fail) {
            ctx.status(503)
                    .contentType("application/json")
                    .result("{\"error\":{\"code\":\"unavailable\",\"message\":\"injected by the test\"}}");
            ctx.skipRemainingHandlers();
        }
    }

    /** Base URL of the ingest API, e.g. {@code http://127.0.0.1:41234}. */
    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The next {@code n} POSTs to the ingest API are answered 503 (and not stored). */
    void failNext(int n) {
        failures.set(n);
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** Every event in the event log, oldest first. */
    List<RawEvent> stored() {
        return stores.eventLog().read(0, 100_000).stream()
                .map(EventLog.LogEntry::event)
                .toList();
    }

    /** Every event the webhook destination accepted, after Veil's policy (a redelivery would appear twice). */
    List<JsonNode> delivered() {
        return destination.accepted();
    }

    int deliveredDuplicates() {
        return destination.duplicates();
    }

    List<String> destinationViolations() {
        return destination.violations();
    }

    @Override
    public void close() {
        pipeline.close();
        server.close();
        destination.close();
        stores.close();
    }
}

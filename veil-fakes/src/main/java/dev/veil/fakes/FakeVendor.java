package dev.veil.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.jspecify.annotations.Nullable;

/**
 * Base of every fake vendor server: a real HTTP server on 127.0.0.1 (free port) that records requests, applies the
 * {@link Faults} script, then lets the vendor subclass validate and answer.
 *
 * <p>Design note: subclasses see only {@link ReceivedRequest} and return a {@link Reply}; they call {@link
 * #accept(JsonNode, String)} for each event the vendor would keep and {@link #violation(String)} for each rule
 * broken. Record lists are thread-safe; tests read them after the client has its answer.
 */
public abstract class FakeVendor implements AutoCloseable {

    /** Shared JSON mapper for subclasses. */
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final Faults faults = new Faults();
    private final List<ReceivedRequest> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    // A plain list under its own lock: a copy-on-write list copied every earlier event on each accept, which made
    // large deliveries quadratic.
    private final List<JsonNode> accepted = new java.util.ArrayList<>();
    private final List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> dedupKeys = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private @Nullable Javalin app;

    /** Starts the server; subclasses call this at the end of their static {@code start} factory. */
    protected final void startServer() {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = 50L * 1024 * 1024;
            config.routes.post("/*", this::serve);
            config.routes.get("/*", this::serve);
        });
        app.start("127.0.0.1", 0);
    }

    /** Validates one request the way the vendor does and answers it. */
    protected abstract Reply handle(ReceivedRequest request);

    private void serve(Context ctx) throws Exception {
        ReceivedRequest request = read(ctx);
        requests.add(request);
        var fault = faults.nextFault();
        if (fault.isPresent()) {
            switch (fault.get()) {
                case Fault.Respond r -> {
                    if (r.retryAfter() != null) {
                        ctx.header(
                                "Retry-After",
                                Long.toString(Math.max(0, r.retryAfter().toSeconds())));
                    }
                    ctx.status(r.status()).contentType("application/json").result(r.body());
                    return;
                }
                case Fault.Hang h -> {
                    closing.await(h.duration().toMillis(), TimeUnit.MILLISECONDS);
                    resetConnection(ctx);
                    return;
                }
                case Fault.Reset r -> {
                    resetConnection(ctx);
                    return;
                }
                case Fault.Slow s -> closing.await(s.delay().toMillis(), TimeUnit.MILLISECONDS);
                case Fault.AnswerLost lost -> {
                    handle(request);
                    resetConnection(ctx);
                    return;
                }
            }
        }
        Reply reply = handle(request);
        reply.headers().forEach(ctx::header);
        ctx.status(reply.status()).result(reply.body());
    }

    private static ReceivedRequest read(Context ctx) {
        Map<String, String> headers = new HashMap<>();
        ctx.headerMap().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        Map<String, String> query = new HashMap<>();
        ctx.queryParamMap().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
        byte[] body = ctx.bodyAsBytes();
        if ("gzip".equalsIgnoreCase(headers.getOrDefault("content-encoding", ""))) {
            try (var in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ReceivedRequest(ctx.method().name(), ctx.path(), query, headers, body);
    }

    /** Closes the TCP connection with RST (SO_LINGER 0), so the client sees "connection reset". */
    private static void resetConnection(Context ctx) throws IOException {
        var endPoint = ServletContextRequest.getServletContextRequest(ctx.req())
                .getConnectionMetaData()
                .getConnection()
                .getEndPoint();
        if (endPoint.getTransport() instanceof SocketChannel channel) {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            channel.close();
        }
        endPoint.close();
    }

    /** Records an event the vendor would keep, under its vendor dedup key. */
    protected final void accept(JsonNode event, String dedupKey) {
        synchronized (accepted) {
            accepted.add(event);
            dedupKeys.computeIfAbsent(dedupKey, k -> new AtomicInteger()).incrementAndGet();
            accepted.notifyAll();
        }
    }

    /**
     * Waits until at least {@code n} events were accepted (for tests where delivery runs in the background), then
     * returns them; fails with the count it saw when {@code timeout} passes first.
     */
    public final List<JsonNode> awaitAccepted(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (accepted) {
            while (accepted.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected at least " + n + " accepted events; the fake has "
                            + accepted.size() + " (violations: " + violations.size() + ")");
                }
                TimeUnit.NANOSECONDS.timedWait(accepted, left);
            }
            return List.copyOf(accepted);
        }
    }

    /** Records a broken rule (field path and rule, as the vendor would report it). */
    protected final void violation(String description) {
        violations.add(description);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public final String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public final int port() {
        if (app == null) {
            throw new IllegalStateException("fake server not started");
        }
        return app.port();
    }

    /** The fault script of this server. */
    public final Faults faults() {
        return faults;
    }

    /** Every request received (including those answered with an injected fault), in arrival order. */
    public final List<ReceivedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Every event the vendor accepted (duplicates included), in arrival order. */
    public final List<JsonNode> accepted() {
        synchronized (accepted) {
            return List.copyOf(accepted);
        }
    }

    /** Every rule violation seen, as {@code fieldPath: rule}. */
    public final List<String> violations() {
        return List.copyOf(violations);
    }

    /** How many distinct dedup keys the accepted events carried. */
    public final int distinctDedupKeys() {
        return dedupKeys.size();
    }

    /** How many accepted events repeated a dedup key already seen (what the vendor would deduplicate). */
    public final int duplicates() {
        return dedupKeys.values().stream().mapToInt(c -> c.get() - 1).sum();
    }

    /** Forgets every record (requests, accepted events, violations, dedup keys); faults stay. */
    public final void resetRecords() {
        requests.clear();
        synchronized (accepted) {
            accepted.clear();
        }
        violations.clear();
        dedupKeys.clear();
    }

    /** Violations of one request, collected while validating it. */
    protected static final class Problems {
        private final List<String> list = new ArrayList<>();

        public void add(String fieldPath, String rule) {
            list.add(fieldPath + ": " + rule);
        }

        public boolean isEmpty() {
            return list.isEmpty();
        }

        public List<String> list() {
            return List.copyOf(list);
        }
    }

    /** Records every problem as a violation; returns whether there were none. */
    protected final boolean record(Problems problems) {
        problems.list().forEach(this::violation);
        return problems.isEmpty();
    }

    @Override
    public void close() {
        closing.countDown();
        if (app != null) {
            app.stop();
        }
    }
}

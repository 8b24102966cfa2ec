package dev.veil.server.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A vendor for tests on 127.0.0.1: receives {@code {"ids": [...]}} and answers what its behavior says. Every
 * accepted id is recorded (per request), so tests can count deliveries and duplicates.
 */
final class TestSink implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status, optional Retry-After seconds, body. */
    record Answer(int status, String retryAfter, String body) {
        static final Answer OK = new Answer(200, "", "{}");

        static Answer status(int status) {
            return new Answer(status, "", "{\"error\":\"status " + status + "\"}");
        }
    }

    private final Javalin app;
    private final ConcurrentLinkedQueue<List<String>> accepted = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<List<String>> received = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Function<List<String>, Answer>> behavior = new AtomicReference<>(ids -> Answer.OK);
    private final AtomicReference<CountDownLatch> hang = new AtomicReference<>();

    TestSink() {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.post("/collect", this::collect);
        });
        app.start("127.0.0.1", 0);
    }

    private void collect(Context ctx) throws Exception {
        JsonNode body = JSON.readTree(ctx.body());
        List<String> ids = new ArrayList<>();
        body.path("ids").forEach(n -> ids.add(n.asText()));
        received.add(ids);
        CountDownLatch gate = hang.get();
        if (gate != null) {
            gate.await();
        }
        Answer answer = behavior.get().apply(ids);
        if (answer.status() == 200 || answer.status() == 207) {
            List<String> failed = new ArrayList<>();
            if (answer.status() == 207) {
                JSON.readTree(answer.body())
                        .path("failed")
                        .forEach(n -> failed.add(n.path("id").asText()));
            }
            accepted.add(ids.stream().filter(id -> !failed.contains(id)).toList());
        }
        if (!answer.retryAfter().isEmpty()) {
            ctx.header("Retry-After", answer.retryAfter());
        }
        ctx.status(answer.status()).contentType("application/json").result(answer.body());
    }

    String url() {
        return "http://127.0.0.1:" + app.port() + "/collect";
    }

    void behave(Function<List<String>, Answer> f) {
        behavior.set(f);
    }

    /** Makes every request wait until {@link #release()} (a vendor that hangs). */
    void hang() {
        hang.set(new CountDownLatch(1));
    }

    void release() {
        CountDownLatch gate = hang.getAndSet(null);
        if (gate != null) {
            gate.countDown();
        }
    }

    /** Every id accepted, once per acceptance (duplicates show up twice). */
    List<String> acceptedIds() {
        return accepted.stream().flatMap(List::stream).toList();
    }

    int requestsReceived() {
        return received.size();
    }

    List<List<String>> acceptedRequests() {
        return List.copyOf(accepted);
    }

    @Override
    public void close() {
        release();
        app.stop();
    }
}

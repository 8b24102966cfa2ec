package dev.veil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.veil.http.HardenedListener;
import dev.veil.http.HttpLimits;
import io.javalin.Javalin;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.LongAdder;

/**
 * The baseline of {@code ./veil bench}: the same HTTP stack as Veil's public listener (Javalin 7 on Jetty 12,
 * virtual threads, {@link HardenedListener} with the same limits and headers), whose endpoints parse the JSON body
 * and answer {@code 200 {"success":true}} — no validation, no storage, no fsync. {@code POST /v1/batch} and
 * {@code /v1/track} stand for ingest; {@code POST /hook} is the sink of the delivery bench (it counts the events
 * of each {@code {"batch":[…]}}, readable at {@code GET /hook/count}).
 *
 * <pre>java -cp benchmarks.jar dev.veil.bench.BareServer PORT</pre>
 */
public final class BareServer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BareServer() {}

    public static void main(String[] args) {
        start(Integer.parseInt(args[0]));
    }

    static Javalin start(int port) {
        LongAdder received = new LongAdder();
        HttpLimits limits = HttpLimits.defaults()
                .withMaxConnectionsPerIp(HttpLimits.defaults().maxConnections());
        Javalin app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.concurrency.useVirtualThreads = true;
            new HardenedListener("bare", "127.0.0.1", port, limits, ip -> false).applyTo(c, new SimpleMeterRegistry());
            c.routes.post("/v1/batch", ctx -> {
                JSON.readTree(ctx.bodyInputStream());
                ctx.contentType("application/json").result("{\"success\":true}");
            });
            c.routes.post("/v1/track", ctx -> {
                JSON.readTree(ctx.bodyInputStream());
                ctx.contentType("application/json").result("{\"success\":true}");
            });
            c.routes.post("/hook", ctx -> {
                JsonNode body = JSON.readTree(ctx.bodyInputStream());
                received.add(body.path("batch").size());
                ctx.contentType("application/json").result("{\"success\":true}");
            });
            c.routes.get("/hook/count", ctx -> ctx.result(Long.toString(received.sum())));
            c.routes.get("/readyz", ctx -> ctx.result("ready"));
        });
        app.start();
        return app;
    }
}

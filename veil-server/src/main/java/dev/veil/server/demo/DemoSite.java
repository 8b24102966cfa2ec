package dev.veil.server.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.server.ingest.IngestStats;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The demo's extra routes: the fake clinic site (static pages under {@code /demo} on the class path), a
 * {@code /demo-config.js} that tells the pages the demo write key, and the {@code /console} stub with counts.
 */
public final class DemoSite {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoSite() {}

    /**
     * The extension to pass to {@code VeilServer.start}; {@code stats} is read lazily because the server creates
     * it.
     */
    public static Consumer<JavalinConfig> extension(String writeKey, Supplier<IngestStats> stats) {
        return c -> {
            c.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/demo";
                sf.location = Location.CLASSPATH;
            });
            c.routes.get(
                    "/demo-config.js",
                    ctx -> ctx.contentType("text/javascript")
                            .header("Cache-Control", "no-store")
                            // The write key is a public client key (like Segment's); it is not a secret.
                            .result("window.VEIL_DEMO = "
                                    + JSON.createObjectNode().put("writeKey", writeKey) + ";\n"));
            c.routes.get(
                    "/console/counts.json",
                    ctx -> ctx.contentType("application/json")
                            .result(counts(stats.get().snapshot()).toString()));
            c.routes.get(
                    "/console",
                    ctx -> ctx.contentType("text/html; charset=utf-8")
                            .result(ConsolePage.render(stats.get().snapshot())));
        };
    }

    static ObjectNode counts(IngestStats.Snapshot s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("accepted", s.accepted());
        root.put("duplicates", s.duplicates());
        root.put("rejected", s.rejected());
        ObjectNode byType = root.putObject("byType");
        for (EventType t : EventType.values()) {
            byType.put(t.wireName(), s.acceptedByType().getOrDefault(t, 0L));
        }
        return root;
    }
}

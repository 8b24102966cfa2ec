package dev.veil.server.demo;

import dev.veil.server.sdk.SdkRoutes;
import dev.veil.server.sdk.SdkSnippet;
import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The demo's extra routes: the fake clinic site (pages under {@code /demo} on the class path, each carrying the
 * browser SDK's snippet with the demo write key). The console at {@code /console} is the real one (veil-console),
 * mounted with the admin API.
 */
public final class DemoSite {

    /** Where each page asks for the snippet; replaced when the page is served. */
    static final String SNIPPET_MARKER = "<!-- veil-snippet -->";
    /** Where the pages load the SDK snippet from (a file, not inline: the pages' CSP forbids inline scripts). */
    static final String SNIPPET_PATH = "/demo-snippet.js";

    private static final Map<String, String> PAGES = Map.of(
            "/",
            "index.html",
            "/index.html",
            "index.html",
            "/services.html",
            "services.html",
            "/book.html",
            "book.html");

    private DemoSite() {}

    /** The extension to pass to {@code VeilServer.start}. */
    public static Consumer<JavalinConfig> extension(String writeKey) {
        // VeilServer serves the SDK at the default base path; the write key is public (like Segment's), not a secret.
        // The snippet is served as a file: Veil's pages allow no inline script (SecurityHeaders' CSP).
        byte[] snippet = SdkSnippet.javascript(SdkRoutes.DEFAULT_BASE_PATH + "/p.js", writeKey, Map.of())
                .getBytes(StandardCharsets.UTF_8);
        byte[] script = resource("demo.js").getBytes(StandardCharsets.UTF_8);
        return c -> {
            c.routes.get(
                    SNIPPET_PATH,
                    ctx -> ctx.header("Cache-Control", "no-store")
                            .contentType("text/javascript; charset=utf-8")
                            .result(snippet));
            c.routes.get(
                    "/demo.js",
                    ctx -> ctx.contentType("text/javascript; charset=utf-8").result(script));
            PAGES.forEach((path, file) -> {
                String html = resource(file).replace(SNIPPET_MARKER, "<script src=\"" + SNIPPET_PATH + "\"></script>");
                c.routes.get(
                        path, ctx -> ctx.header("Cache-Control", "no-store").html(html));
            });
            byte[] css = resource("demo.css").getBytes(StandardCharsets.UTF_8);
            c.routes.get(
                    "/demo.css",
                    ctx -> ctx.contentType("text/css; charset=utf-8").result(css));
        };
    }

    private static String resource(String name) {
        try (InputStream in = DemoSite.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("demo site: resource /demo/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

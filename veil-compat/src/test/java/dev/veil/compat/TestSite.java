package dev.veil.compat;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The site that embeds a client library: another origin than Veil (same host, another port). It serves the
 * bundled libraries from the test class path and pages whose HTML the test sets.
 */
final class TestSite implements AutoCloseable {

    private final Map<String, String> pages = new ConcurrentHashMap<>();
    private final Javalin app;

    private TestSite() {
        app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = "127.0.0.1";
            c.jetty.port = 0;
            c.routes.get(
                    "/js/{name}",
                    ctx -> ctx.contentType("text/javascript; charset=utf-8").result(bundle(ctx.pathParam("name"))));
            c.routes.get("/pages/{name}", ctx -> {
                String html = pages.get(ctx.pathParam("name"));
                if (html == null) {
                    ctx.status(404).result("no page " + ctx.pathParam("name"));
                } else {
                    ctx.html(html);
                }
            });
            c.routes.get("/favicon.ico", ctx -> ctx.status(204));
        });
        app.start();
    }

    static TestSite start() {
        return new TestSite();
    }

    /** {@code http://127.0.0.1:<port>}: the origin Veil's source must allow. */
    String origin() {
        return "http://127.0.0.1:" + app.port();
    }

    /** Serves {@code html} at {@code /pages/<name>} and returns its URL. */
    String page(String name, String html) {
        pages.put(name, html);
        return origin() + "/pages/" + name;
    }

    private static byte[] bundle(String name) {
        if (!name.matches("[a-z-]+\\.js")) {
            throw new IllegalArgumentException("bundle name");
        }
        try (InputStream in = TestSite.class.getResourceAsStream("js/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dev/veil/compat/js/" + name
                        + " is missing: the build bundles it (veil-compat/build.mjs, run by Maven after npm ci)");
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

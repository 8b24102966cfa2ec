package dev.veil.server.sdk;

import dev.veil.sdk.SdkAsset;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/**
 * Routes that serve the browser SDK from Veil's own (first-party) origin under a neutral path.
 *
 * <p>Three files are served below {@code basePath} (default {@value #DEFAULT_BASE_PATH}):
 *
 * <ul>
 *   <li>{@code p-<hash>.js}: the minified SDK, cached for a year ({@code immutable}) because the content hash
 *       is in the name;
 *   <li>{@code p.js}: the loader path the snippet uses, the same bytes with a short cache and an ETag, so an
 *       upgrade of Veil reaches every site within minutes without changing the snippet;
 *   <li>{@code p-<hash>.debug.js}: the unminified source of the same build, for debugging.
 * </ul>
 *
 * <p>The names are deliberately neutral so that blocklists keyed on "analytics.js" and the like do not match.
 */
public final class SdkRoutes {

    /** Base path used when the operator does not configure one. */
    public static final String DEFAULT_BASE_PATH = "/assets";

    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String LOADER_CACHE = "public, max-age=300";
    private static final String JS = "text/javascript; charset=utf-8";

    private final String basePath;
    private final SdkAsset minified;
    private final SdkAsset source;

    private SdkRoutes(String basePath, SdkAsset minified, SdkAsset source) {
        this.basePath = normalize(basePath);
        this.minified = minified;
        this.source = source;
    }

    /**
     * Registers the SDK routes on a Javalin configuration, e.g. inside {@code Javalin.create(config -> …)}.
     *
     * @param basePath a path such as {@code /assets} (leading slash optional, trailing slash ignored)
     * @return the registered routes, to render the snippet or to read the versioned URL
     */
    public static SdkRoutes register(JavalinConfig config, String basePath) {
        SdkRoutes routes = new SdkRoutes(basePath, SdkAsset.minified(), SdkAsset.source());
        SdkAsset min = routes.minified;
        config.routes.get(routes.versionedPath(), ctx -> serve(ctx, min, IMMUTABLE));
        config.routes.get(routes.debugPath(), ctx -> serve(ctx, routes.source, IMMUTABLE));
        config.routes.get(routes.loaderPath(), ctx -> serve(ctx, min, LOADER_CACHE));
        return routes;
    }

    /** Path of the content-hashed, immutable SDK file, e.g. {@code /assets/p-3f2a9c01b7de.js}. */
    public String versionedPath() {
        return basePath + "/" + minified.versionedFileName("p");
    }

    /** Stable path the snippet loads, e.g. {@code /assets/p.js}. */
    public String loaderPath() {
        return basePath + "/p.js";
    }

    /** Path of the unminified source of this build. */
    public String debugPath() {
        return basePath + "/p-" + minified.hash() + ".debug.js";
    }

    /** The content hash of the minified SDK served by these routes. */
    public String hash() {
        return minified.hash();
    }

    private static void serve(Context ctx, SdkAsset asset, String cacheControl) {
        String etag = "\"" + asset.hash() + "\"";
        ctx.header("Cache-Control", cacheControl);
        ctx.header("ETag", etag);
        ctx.header("X-Content-Type-Options", "nosniff");
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(JS);
        ctx.result(asset.bytes());
    }

    static String normalize(String basePath) {
        String p = basePath.strip();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        if (p.equals("/")) {
            return "";
        }
        if (!p.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new IllegalArgumentException(
                    "sdk routes: basePath may only hold path segments of letters, digits and . _ ~ -");
        }
        return p;
    }
}

package dev.veil.console.web;

import io.javalin.http.Context;

/**
 * The headers every console response carries: a Content-Security-Policy that allows scripts, styles and
 * everything else from Veil's own origin only (no inline scripts or styles, no third party), refuses framing,
 * and keeps forms on the origin; {@code nosniff}; no referrer; no caching of pages that may show configuration.
 */
public final class SecurityHeaders {

    /** The policy; {@code img-src data:} only for the inline SVG charts' fallbacks. */
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private SecurityHeaders() {}

    public static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
        ctx.header("Cache-Control", "no-store");
    }
}

package dev.veil.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.Locale;

/**
 * The response headers every Veil listener sends, installed once per Javalin app ({@link #install}), so the demo
 * site, the SDK loader, the admin API and the future console share one definition.
 *
 * <ul>
 *   <li>every response: {@code X-Content-Type-Options: nosniff}, {@code Referrer-Policy: no-referrer};
 *   <li>HTML responses: a Content-Security-Policy that allows scripts, styles, images and connections from the
 *       page's own origin only — <b>no inline scripts or styles</b>, no plugins, no {@code <base>} — and
 *       {@code frame-ancestors 'none'} (with {@code X-Frame-Options: DENY} for older browsers);
 * </ul>
 *
 * HSTS is sent by Jetty's {@code SecureRequestCustomizer} on TLS listeners ({@link HardenedListener}).
 *
 * Handlers may set a different CSP or referrer policy themselves (a page that stands for a customer's site in
 * tests does): a {@code Content-Security-Policy} or {@code Referrer-Policy} already on the response is left alone. Stateless and thread-safe.
 */
public final class SecurityHeaders {

    /** The policy of Veil's own HTML pages. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none';"
            + " frame-ancestors 'none'";

    private SecurityHeaders() {}

    /** Adds the headers to every response of {@code config}'s app ({@link HardenedListener} does it). */
    public static void install(JavalinConfig config) {
        config.routes.after(SecurityHeaders::apply);
    }

    static void apply(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        if (ctx.res().getHeader("Referrer-Policy") == null) {
            ctx.header("Referrer-Policy", "no-referrer");
        }
        String type = ctx.res().getContentType();
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/html")) {
            if (ctx.res().getHeader("Content-Security-Policy") == null) {
                ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            }
            ctx.header("X-Frame-Options", "DENY");
        }
    }
}

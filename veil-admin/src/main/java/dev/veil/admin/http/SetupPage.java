package dev.veil.admin.http;

import dev.veil.admin.AdminException;
import dev.veil.admin.AdminServices;
import dev.veil.admin.auth.AuthService;
import dev.veil.admin.auth.Totp;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The page a setup link opens ({@value #PATH}{@code ?token=…}): a plain server-rendered form, no script, that
 * shows the TOTP enrolment (QR code and secret) and sets the password, then shows the recovery codes once. It
 * calls the same {@link AuthService} as {@code POST /api/v1/auth/setup/*}; the console may replace it.
 */
public final class SetupPage {

    public static final String PATH = "/setup";

    private SetupPage() {}

    public static void mount(JavalinConfig c, AdminServices services) {
        c.routes.get(PATH, ctx -> {
            headers(ctx);
            String token = ctx.queryParam("token");
            if (token == null || token.isEmpty() || token.length() > 128) {
                page(ctx, 400, "Setup link incomplete", "<p>This link has no token. Copy the whole link.</p>");
                return;
            }
            form(ctx, services, token, null);
        });
        c.routes.post(PATH, ctx -> {
            headers(ctx);
            String origin = ctx.header("Origin");
            String host = ctx.header("Host");
            if (origin != null && host != null && !origin.equals("null") && !origin.endsWith("//" + host)) {
                page(ctx, 403, "Refused", "<p>Cross-origin form posts are refused.</p>");
                return;
            }
            String token = value(ctx.formParam("token"), 128);
            String password = value(ctx.formParam("password"), 256);
            String totp = value(ctx.formParam("totp"), 16);
            try {
                var done = services.auth().finishSetup(token, password, totp.isEmpty() ? null : totp);
                ctx.header(
                        "Set-Cookie",
                        AdminApi.COOKIE + "=" + done.session().cookieValue() + "; Path=/; Max-Age="
                                + services.auth().options().absoluteTimeout().toSeconds()
                                + "; HttpOnly; SameSite=Strict"
                                + ("https".equalsIgnoreCase(ctx.scheme()) ? "; Secure" : ""));
                page(ctx, 200, "You are set up", done(done.session().principal().name(), done.recoveryCodes()));
            } catch (AdminException e) {
                if (e.code().equals("setup_link_invalid")) {
                    page(ctx, 404, "Setup link not valid", "<p>" + esc(e.getMessage()) + "</p>");
                } else {
                    form(ctx, services, token, e.getMessage());
                }
            }
        });
    }

    private static void form(Context ctx, AdminServices services, String token, @Nullable String error) {
        AuthService.SetupStart start;
        try {
            start = services.auth().startSetup(token);
        } catch (AdminException e) {
            page(ctx, 404, "Setup link not valid", "<p>" + esc(e.getMessage()) + "</p>");
            return;
        }
        StringBuilder b = new StringBuilder();
        if (error != null) {
            b.append("<p role=\"alert\"><strong>").append(esc(error)).append("</strong></p>");
        }
        b.append("<p>Account <strong>")
                .append(esc(start.username()))
                .append("</strong>, role <strong>")
                .append(esc(start.role().wire()))
                .append("</strong>.</p>");
        b.append("<form method=\"post\" action=\"").append(PATH).append("\">");
        b.append("<input type=\"hidden\" name=\"token\" value=\"")
                .append(esc(token))
                .append("\">");
        b.append("<p><label for=\"password\">New password (12 characters or more)</label><br>")
                .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\""
                        + " minlength=\"12\" required></p>");
        b.append("<fieldset><legend>Second factor")
                .append(start.totpRequired() ? " (required for this role)" : " (optional)")
                .append("</legend>");
        b.append("<p>Scan this code with an authenticator app, or enter the key by hand.</p>");
        b.append("<p><img alt=\"QR code for the authenticator app\" width=\"200\" height=\"200\" src=\"")
                .append(Totp.qrDataUri(start.totpSecret(), "Veil:" + start.username()))
                .append("\"></p>");
        b.append("<p>Key: <code>").append(esc(start.totpSecret())).append("</code></p>");
        b.append("<p><label for=\"totp\">Code from the app</label><br>")
                .append("<input id=\"totp\" name=\"totp\" inputmode=\"numeric\" autocomplete=\"one-time-code\""
                        + " pattern=\"[0-9]{6}\"")
                .append(start.totpRequired() ? " required" : "")
                .append("></p></fieldset>");
        b.append("<p><button type=\"submit\">Finish setup</button></p></form>");
        page(ctx, error == null ? 200 : 400, "Set up your Veil account", b.toString());
    }

    private static String done(String username, List<String> codes) {
        StringBuilder b = new StringBuilder("<p>Signed in as <strong>")
                .append(esc(username))
                .append("</strong>.</p>");
        if (!codes.isEmpty()) {
            b.append("<p>Recovery codes: each works once instead of the app's code. Store them now; they are not"
                    + " shown again.</p><ul>");
            codes.forEach(c -> b.append("<li><code>").append(esc(c)).append("</code></li>"));
            b.append("</ul>");
        }
        b.append("<p><a href=\"/console\">Continue to the console</a></p>");
        return b.toString();
    }

    private static void page(Context ctx, int status, String title, String body) {
        ctx.status(status)
                .contentType("text/html; charset=utf-8")
                .result("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                        + " - Veil</title></head><body><main><h1>" + esc(title) + "</h1>" + body
                        + "</main></body></html>");
    }

    private static void headers(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        ctx.header("X-Content-Type-Options", "nosniff");
        // The token is in the URL: never send it on as a referrer.
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header(
                "Content-Security-Policy",
                "default-src 'none'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    }

    private static String value(@Nullable String v, int max) {
        if (v == null) {
            return "";
        }
        return v.length() > max ? v.substring(0, max) : v;
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}

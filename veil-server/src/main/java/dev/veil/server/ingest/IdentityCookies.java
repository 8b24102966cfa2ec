package dev.veil.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.core.policy.SourceSpec.IdentityCookie;
import dev.veil.server.source.Source;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The server-set first-party identity cookie {@code veil_aid} of sources with {@code identityCookie} on
 * (docs/sdk.md, "Server-set identity cookie"). Safari caps cookies that scripts write at 7 days; one set by an HTTP
 * answer of the site's own domain lasts, so the SDK (which reads {@code veil_aid} first) keeps its anonymous id.
 *
 * <p>The answer to an accepted browser request (one with an {@code Origin}) mirrors the anonymous id of the request's
 * last message, and only when that message carries analytics consent
 * ({@code context.consent.categoryPreferences.analytics: true}); {@code analytics: false} deletes the cookie. The
 * cookie is not {@code HttpOnly}: the SDK must read it, and delete it when the visitor denies consent. The id is a
 * random id the request itself carried, not a secret. Only ids of letters, digits and dashes are echoed, so no
 * request can put anything else into a {@code Set-Cookie} header.
 */
final class IdentityCookies {

    static final String NAME = "veil_aid";

    /** 400 days: the longest lifetime browsers grant a cookie (RFC 6265bis caps Max-Age there). */
    static final long MAX_AGE_SECONDS = 400L * 24 * 60 * 60;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{8,64}");

    private IdentityCookies() {}

    /** Adds the {@code Set-Cookie} of an accepted request of {@code source}, when there is one to set. */
    static void answer(Context ctx, Source source, List<ObjectNode> accepted) {
        IdentityCookie cookie = source.identityCookie();
        if (cookie == null || accepted.isEmpty()) {
            return;
        }
        URI origin = origin(ctx.header("Origin"));
        if (origin == null) {
            return;
        }
        String domain = cookie.domain();
        String host = origin.getHost().toLowerCase(Locale.ROOT);
        if (domain != null && !host.equals(domain) && !host.endsWith("." + domain)) {
            return; // the page is not on the site's domain: a cookie there would be no first-party cookie of it
        }
        boolean secure = "https".equals(origin.getScheme()) || "https".equals(ctx.scheme());
        String attributes =
                "; Path=/; SameSite=Lax" + (domain == null ? "" : "; Domain=" + domain) + (secure ? "; Secure" : "");
        ObjectNode last = accepted.getLast();
        JsonNode analytics = last.at("/context/consent/categoryPreferences/analytics");
        if (!analytics.isBoolean()) {
            return; // no consent decision in the event: the server does not set an identifier
        }
        if (!analytics.booleanValue()) {
            ctx.res().addHeader("Set-Cookie", NAME + "=; Max-Age=0" + attributes);
            return;
        }
        JsonNode id = last.get("anonymousId");
        if (id != null && id.isTextual() && ID.matcher(id.asText()).matches()) {
            ctx.res().addHeader("Set-Cookie", NAME + "=" + id.asText() + "; Max-Age=" + MAX_AGE_SECONDS + attributes);
        }
    }

    private static @Nullable URI origin(@Nullable String header) {
        if (header == null) {
            return null;
        }
        try {
            URI uri = new URI(header);
            return uri.getHost() == null || uri.getScheme() == null ? null : uri;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}

package dev.veil.server.source;

import dev.veil.core.policy.SourceSpec.IdentityCookie;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A source that may send events, as the ingest API sees it.
 *
 * @param id stable id (from the policy)
 * @param name display name
 * @param allowedOrigins browser origins allowed to send with this source's key ({@code *} allows any)
 * @param identityCookie the server-set {@code veil_aid} cookie of this source's ingest answers, or null when off
 * @param trustedServer a backend relaying its visitors' events: its messages' {@code context.ip} and {@code
 *     context.userAgent} are believed instead of the request's own (policy {@code sources[].trustedServer})
 */
public record Source(
        String id,
        String name,
        List<String> allowedOrigins,
        @Nullable IdentityCookie identityCookie,
        boolean trustedServer) {
    public Source {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** A browser source without an identity cookie. */
    public Source(String id, String name, List<String> allowedOrigins) {
        this(id, name, allowedOrigins, null, false);
    }

    /** A browser source: the client's address and user agent come from the request. */
    public Source(String id, String name, List<String> allowedOrigins, @Nullable IdentityCookie identityCookie) {
        this(id, name, allowedOrigins, identityCookie, false);
    }

    /** Whether a browser on {@code origin} may send with this source's key. */
    public boolean allowsOrigin(String origin) {
        return allowedOrigins.contains("*") || allowedOrigins.contains(origin);
    }
}

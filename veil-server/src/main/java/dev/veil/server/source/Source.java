package dev.veil.server.source;

import java.util.List;
import java.util.Objects;

/**
 * A source that may send events, as the ingest API sees it.
 *
 * @param id stable id (from the policy)
 * @param name display name
 * @param allowedOrigins browser origins allowed to send with this source's key ({@code *} allows any)
 */
public record Source(String id, String name, List<String> allowedOrigins) {
    public Source {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** Whether a browser on {@code origin} may send with this source's key. */
    public boolean allowsOrigin(String origin) {
        return allowedOrigins.contains("*") || allowedOrigins.contains(origin);
    }
}

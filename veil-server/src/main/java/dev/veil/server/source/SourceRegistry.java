package dev.veil.server.source;

import java.util.List;
import java.util.Optional;

/**
 * Resolves write keys to sources. Thread-safe; lookups are on the hot path of every ingest request, so
 * implementations answer from memory.
 */
public interface SourceRegistry {

    /** The source whose write key is {@code writeKey}, if any. */
    Optional<Source> byWriteKey(String writeKey);

    /** All sources (for CORS preflight, which carries no key, and for the console). */
    List<Source> sources();

    /** Whether any source allows browsers on {@code origin} (answers CORS preflight requests). */
    default boolean anySourceAllowsOrigin(String origin) {
        return sources().stream().anyMatch(s -> s.allowsOrigin(origin));
    }

    /** Whether a source lists {@code origin} by name (not only through {@code *}): such an origin may send cookies. */
    default boolean anySourceListsOrigin(String origin) {
        return sources().stream().anyMatch(s -> s.allowedOrigins().contains(origin));
    }
}

package dev.veil.core.engine;

import dev.veil.api.SafeContext;
import java.util.Optional;

/**
 * Turns a client IP into a state-level location (HIPAA Safe Harbor). Implementations are thread-safe, do no
 * network I/O and never throw for bad input (they return empty).
 */
@FunctionalInterface
public interface GeoLocator {

    /** A locator that knows nothing: {@code ip: geo} then yields no location. */
    GeoLocator NONE = ip -> Optional.empty();

    /** The country and region of {@code ip}, or empty when unknown or not an IP literal. */
    Optional<SafeContext.Geo> locate(String ip);
}

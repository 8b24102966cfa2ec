package dev.veil.server.ingest;

import dev.veil.server.source.Source;
import io.javalin.http.Context;

/**
 * Decides whether {@code events} events of {@code source} may be appended now (rate limits per source); called
 * after the request was authenticated and parsed, before anything is stored. Refuses by throwing an
 * {@link ApiException} (429), so a refused request stores nothing. Implementations are thread-safe.
 */
@FunctionalInterface
public interface SourceThrottle {

    /** Admits everything. */
    SourceThrottle NONE = (ctx, source, events) -> {};

    void admit(Context ctx, Source source, int events);
}

package dev.veil.server.ingest;

import dev.veil.server.source.SourceRegistry;
import io.javalin.http.Context;

/**
 * CORS for the ingest routes. Every answer to a request that carries an {@code Origin} (successes, refusals and
 * server errors alike, because the headers are set before the request is handled) lets the page read it, so a
 * browser client sees {@code 401 unauthorized} or {@code 403 origin_not_allowed} and stops, instead of an opaque
 * "blocked by CORS policy" that every client retries.
 *
 * <p>This does not weaken {@code allowedOrigins}: browsers cannot forge {@code Origin}, and the server refuses
 * (403, nothing stored) every request whose origin the write key's source does not allow. What the page may read
 * is only Veil's verdict. Credentials (cookies) are allowed only for origins that a source lists by name.
 */
final class IngestCors {

    /** Every request header the browser clients send: Veil's SDK, analytics-next, RudderStack's SDK. */
    static final String ALLOWED_HEADERS = String.join(
            ", ",
            "Authorization",
            "Content-Type",
            "Content-Encoding",
            // analytics-next, on each retry
            "X-Retry-Count",
            // RudderStack JS SDK v3: every request, and on retries
            "AnonymousId",
            "SentAt",
            "Rsa-Recovered",
            "Rsa-Retry-Attempt",
            "Rsa-Since-Last-Attempt",
            "Rsa-Since-First-Attempt",
            "Rsa-Retry-Reason");

    static final String ALLOWED_METHODS = "POST, OPTIONS";

    /** Answers a client may need to read: when to come back after a 429 or 503. */
    static final String EXPOSED_HEADERS = "Retry-After";

    private final SourceRegistry sources;

    IngestCors(SourceRegistry sources) {
        this.sources = sources;
    }

    /** Sets the CORS headers of an answer; runs before the route's handler. */
    void decorate(Context ctx) {
        ctx.header("Vary", "Origin");
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Expose-Headers", EXPOSED_HEADERS);
        if (sources.anySourceListsOrigin(origin)) {
            ctx.header("Access-Control-Allow-Credentials", "true");
        }
    }

    /**
     * Answers a preflight ({@code OPTIONS} on a route that exists). Never counted as a refused event: a preflight
     * carries no event and no write key.
     */
    void preflight(Context ctx) {
        if (ctx.header("Origin") != null) {
            ctx.header("Access-Control-Allow-Methods", ALLOWED_METHODS);
            ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            ctx.header("Access-Control-Max-Age", "86400");
        }
        ctx.status(204);
    }
}

package dev.veil.server.ingest;

import dev.veil.api.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One path of the ingest API and what it accepts. {@link #ALL} is the single table the server registers its
 * routes, answers CORS preflights and is tested from, so a path cannot exist without its preflight or its test.
 *
 * @param path the request path
 * @param body what the body holds
 * @param type the call type a {@link Body#MESSAGE} route implies ({@code /v1/track}, {@code /v1/t}), else null
 * @param keyInQuery whether the write key may travel in the query string ({@code ?writeKey=…}): only on beacon
 *     routes, because {@code navigator.sendBeacon} can set neither a header nor, in RudderStack's SDK, the body
 * @param client who calls it, for the docs and test names
 */
public record IngestRoute(String path, Body body, @Nullable EventType type, boolean keyInQuery, String client) {

    /** What a route's body holds. */
    public enum Body {
        /** One message ({@code type} implied by the path). */
        MESSAGE,
        /** {@code {"batch": [...]}}. */
        BATCH,
        /** Segment's browser library reports its own delivery metrics here; read, discarded, never stored. */
        CLIENT_METRICS
    }

    public IngestRoute {
        Objects.requireNonNull(path, "path");
        if ((body == Body.MESSAGE) != (type != null)) {
            throw new IllegalArgumentException(path + ": a message route needs a type, other routes none");
        }
    }

    /** Every ingest route. */
    public static final List<IngestRoute> ALL = table();

    private static List<IngestRoute> table() {
        List<IngestRoute> all = new ArrayList<>();
        for (EventType t : EventType.values()) {
            // Segment HTTP API and RudderStack's data plane; analytics.js and analytics-next use one letter.
            all.add(new IngestRoute("/v1/" + t.wireName(), Body.MESSAGE, t, false, "Segment/RudderStack HTTP API"));
            all.add(new IngestRoute("/v1/" + shortName(t), Body.MESSAGE, t, false, "Segment analytics-next"));
        }
        all.add(new IngestRoute("/v1/batch", Body.BATCH, null, false, "Segment/RudderStack HTTP API, Veil SDK"));
        all.add(new IngestRoute("/v1/import", Body.BATCH, null, false, "Segment HTTP API"));
        all.add(new IngestRoute("/v1/b", Body.BATCH, null, false, "Segment analytics-next (batching)"));
        all.add(new IngestRoute("/beacon/v1/batch", Body.BATCH, null, true, "RudderStack JS SDK (beacon)"));
        all.add(new IngestRoute("/v1/m", Body.CLIENT_METRICS, null, false, "Segment analytics-next metrics"));
        return List.copyOf(all);
    }

    /** The one-letter path analytics.js uses: {@code t}, {@code p}, {@code s}, {@code i}, {@code g}, {@code a}. */
    static String shortName(EventType t) {
        return t.wireName().substring(0, 1);
    }
}

package dev.veil.destinations.spi;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a vendor's response means for the events of one request.
 *
 * <p>Every outcome settles the fate of each event of the request, directly or through the delivery engine:
 * {@link Delivered} and {@link PartiallyDelivered} are final; {@link Failed} dead-letters the request's events;
 * {@link Retry} sends the same request again later; {@link Split} and {@link Resend} make the engine call {@link
 * Connector#prepare} again on some of the request's events (the engine keeps the {@code SafeEvent}s of every
 * request it sends); {@link AuthFailed} pauses the destination without dead-lettering anything.
 */
public sealed interface Outcome {

    /** Every event was accepted. */
    record Delivered() implements Outcome {}

    /**
     * Some events were refused for good (e.g. Mixpanel's {@code failed_records}); the rest were accepted.
     * Refused events go to the dead-letter store; nothing is retried.
     */
    record PartiallyDelivered(List<Rejected> failed) implements Outcome {
        public PartiallyDelivered {
            failed = List.copyOf(failed);
        }
    }

    /**
     * Try the whole request again later (timeouts, 429, 5xx).
     *
     * @param reason PHI-free reason
     * @param retryAfter the vendor's Retry-After, when it sent one
     */
    record Retry(String reason, @Nullable Duration retryAfter) implements Outcome {}

    /** The whole request was refused for good (e.g. 4xx validation): all its events go to the dead-letter store. */
    record Failed(String reason) implements Outcome {}

    /**
     * The vendor refused the whole request because of some of its events, without saying which (Meta's
     * all-or-nothing batches, Mixpanel's 413). Nothing was ingested. The engine prepares the request's events
     * again in two halves and sends each, recursively; a single event that is still refused is dead-lettered with
     * {@code reason}. A connector may return this for a one-event request: the engine then dead-letters it.
     *
     * @param reason PHI-free reason, e.g. {@code "meta: HTTP 400 error code 100 subcode 2804019"}
     */
    record Split(String reason) implements Outcome {}

    /**
     * The listed events were refused for good and the vendor ingested <em>none</em> of the request's events
     * (Amplitude's 400 with {@code events_with_invalid_fields}). The engine dead-letters the listed events and
     * prepares and sends the others again. When none of the listed ids belongs to the request, the engine treats
     * the answer as {@link Split}, so a confused answer can never loop.
     *
     * @param failed the refused events, each with its own reason
     * @param reason PHI-free reason for the whole answer (logged)
     */
    record Resend(List<Rejected> failed, String reason) implements Outcome {
        public Resend {
            failed = List.copyOf(failed);
        }
    }

    /**
     * The vendor refused the destination's credentials or settings (Meta error 190, HTTP 401/403): no request of
     * this destination can succeed until someone fixes them. The engine pauses the destination (reported in the
     * {@code veil.delivery.paused} gauge, the log and {@code /readyz}), tries the same request again periodically,
     * and dead-letters nothing; events wait in the log.
     *
     * @param reason PHI-free reason naming what was refused, e.g. {@code "meta: error code 190 (OAuthException)"}
     */
    record AuthFailed(String reason) implements Outcome {}
}

package dev.veil.destinations.spi;

import dev.veil.api.SafeEvent;
import java.util.List;

/**
 * Maps batches of safe events to one vendor's HTTP requests and reads the vendor's answers.
 *
 * <p>Implementations are immutable and thread-safe, and do no I/O: the delivery engine sends the requests.
 * They never log event contents or credentials.
 */
public interface Connector {

    /** How many events (and bytes) one request may carry. */
    BatchLimits limits();

    /**
     * Validates a batch against the vendor's documented rules, fixes what can be fixed (e.g. truncation where
     * the vendor allows it; each fix is listed in {@link Prepared#repairs()}), and maps the rest to requests.
     * Events that cannot be made valid are returned in {@link Prepared#rejected()} with the reason, for the
     * dead-letter store; events the vendor has no use for in {@link Prepared#skipped()}. {@code batch.size()} is
     * at most {@link BatchLimits#maxEvents()}; a connector may still split it into several requests (e.g. by
     * size).
     *
     * <p>The engine calls this again on any subset of a batch after a {@link Outcome.Split} or {@link
     * Outcome.Resend}, so the mapping of one event must not depend on the other events of the batch (dedup keys
     * such as {@code event_id} must come out the same).
     */
    Prepared prepare(List<SafeEvent> batch);

    /** Interprets the vendor's response to one request made by {@link #prepare}. */
    Outcome interpret(OutboundRequest request, VendorResponse response);

    /**
     * The vendor event name for a safe event (after the policy's rename, or the connector's default mapping of
     * Segment's semantic events, e.g. {@code Order Completed} to GA4's {@code purchase}).
     */
    String eventName(SafeEvent event);
}

package dev.veil.destinations.spi;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a vendor's response means for the events of one request. */
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
}

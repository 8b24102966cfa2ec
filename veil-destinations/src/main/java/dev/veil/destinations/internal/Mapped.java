package dev.veil.destinations.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/** What a vendor mapper made of one safe event. */
public sealed interface Mapped {

    /**
     * A valid vendor event.
     *
     * @param event the vendor's event object
     * @param envelope request-level fields the event needs (GA4's client_id, device, …); events are only batched
     *     with others of an equal envelope. Null when the vendor has none.
     */
    record Ok(ObjectNode event, @Nullable ObjectNode envelope) implements Mapped {}

    /** The event breaks a vendor rule that cannot be fixed; {@code reason} names the field and the rule. */
    record Invalid(String reason) implements Mapped {}

    /** The vendor has no use for this call type (e.g. GA4 and alias calls): nothing is sent, nothing is wrong. */
    record Skipped() implements Mapped {}

    static Mapped ok(ObjectNode event) {
        return new Ok(event, null);
    }
}

package dev.veil.destinations.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a vendor mapper made of one safe event. */
public sealed interface Mapped {

    /**
     * A valid vendor event.
     *
     * @param event the vendor's event object
     * @param envelope request-level fields the event needs (GA4's client_id, device, …); events are only batched
     *     with others of an equal envelope. Null when the vendor has none.
     * @param repairs what the mapper changed or removed so the vendor accepts the event (metric tags, see {@link
     *     dev.veil.destinations.spi.Repair})
     */
    record Ok(ObjectNode event, @Nullable ObjectNode envelope, List<String> repairs) implements Mapped {
        public Ok {
            repairs = List.copyOf(repairs);
        }

        public Ok(ObjectNode event, @Nullable ObjectNode envelope) {
            this(event, envelope, List.of());
        }
    }

    /** The event breaks a vendor rule that cannot be fixed; {@code reason} names the field and the rule. */
    record Invalid(String reason) implements Mapped {}

    /**
     * The vendor has no use for this event (e.g. GA4 and identify calls): nothing is sent, nothing is wrong.
     *
     * @param reason a short stable code (a metric tag), e.g. {@code identify_not_sent}
     */
    record Skipped(String reason) implements Mapped {}

    static Mapped ok(ObjectNode event) {
        return new Ok(event, null);
    }

    /** The usual skip of a call type the vendor's event API has no use for: {@code <type>_not_sent}. */
    static Mapped notSent(dev.veil.api.EventType type) {
        return new Skipped(type.wireName() + "_not_sent");
    }
}

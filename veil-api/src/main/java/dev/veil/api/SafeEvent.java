package dev.veil.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one destination is allowed to receive of one event, after the privacy engine applied that
 * destination's policy. This is the only event type a connector ever sees.
 *
 * <p>Every field is already filtered: identifiers are masked (or passed, for BAA destinations only), maps
 * hold exactly the allowlisted properties/traits with their transformed and PHI-scanned values, and the
 * context holds only the allowed, generalized fields. Values in {@link #properties()} and {@link #traits()}
 * are JSON-like: {@link String}, {@link Number}, {@link Boolean}, {@link java.util.List} or {@link Map} of
 * those. Instances are immutable.
 *
 * @param destinationId the destination this event was prepared for
 * @param type the call type
 * @param messageId Veil's event id, stable across retries: connectors use it as the vendor's dedup key
 * @param timestamp the event time, corrected for client clock skew
 * @param name the event name after renaming (track), or the page/screen name when allowed; else null
 * @param userId masked (or BAA-passed) user id; null when absent or dropped
 * @param anonymousId masked (or BAA-passed) anonymous id; null when absent or dropped
 * @param groupId masked group id of group calls; null otherwise
 * @param previousId masked previous id of alias calls; null otherwise
 * @param properties allowed event properties
 * @param traits allowed user traits (identify) or group traits (group)
 * @param context allowed context fields
 */
public record SafeEvent(
        String destinationId,
        EventType type,
        String messageId,
        Instant timestamp,
        @Nullable String name,
        @Nullable String userId,
        @Nullable String anonymousId,
        @Nullable String groupId,
        @Nullable String previousId,
        Map<String, Object> properties,
        Map<String, Object> traits,
        SafeContext context) {

    public SafeEvent {
        Objects.requireNonNull(destinationId, "destinationId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(timestamp, "timestamp");
        properties = Map.copyOf(properties);
        traits = Map.copyOf(traits);
        Objects.requireNonNull(context, "context");
    }
}

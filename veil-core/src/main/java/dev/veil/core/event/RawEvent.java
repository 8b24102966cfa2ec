package dev.veil.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One accepted Segment message, as received, with what the server captured about the request. This is the
 * unfiltered event: it may hold PHI anywhere. Only the privacy engine turns it into something that leaves
 * Veil, and it is stored only encrypted.
 *
 * <p>The {@link #message()} is the normalized Segment message: it always has {@code type}, {@code messageId},
 * {@code timestamp} (corrected for clock skew) and {@code receivedAt} set by the ingest API. Treat it as
 * read-only: the record does not copy it, so nobody may mutate it after construction.
 *
 * @param sourceId the source (write key owner) that sent it
 * @param messageId the message id (client-supplied or generated), unique per source within the dedup window
 * @param type the call type
 * @param receivedAt when Veil received it
 * @param timestamp the event time corrected for clock skew: {@code receivedAt - (sentAt - timestamp)}
 * @param message the normalized Segment message JSON (read-only)
 * @param clientIp the client IP (socket address, or X-Forwarded-For from a trusted proxy); null if unknown
 * @param userAgent the request's User-Agent header (or {@code context.userAgent}); null if absent
 * @param gpc whether the request carried {@code Sec-GPC: 1}
 */
public record RawEvent(
        String sourceId,
        String messageId,
        EventType type,
        Instant receivedAt,
        Instant timestamp,
        ObjectNode message,
        @Nullable String clientIp,
        @Nullable String userAgent,
        boolean gpc) {

    public RawEvent {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        // Never print the message, IP or user agent: they may hold PHI.
        return "RawEvent[source=" + sourceId + ", messageId=" + messageId + ", type=" + type.wireName() + "]";
    }
}

package dev.veil.server.cli.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Turns a Segment message file into the {@link RawEvent} the ingest API would have produced, filling in what the
 * server captures from the request (IP, user agent, GPC, receive time) from options or the message itself.
 */
final class PreviewEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the request would have carried besides the message; null fields fall back to the message. */
    record Request(
            String sourceId,
            @Nullable String ip,
            @Nullable String userAgent,
            boolean gpc,
            @Nullable Instant receivedAt) {}

    private PreviewEvents() {}

    static RawEvent read(Path file, Request request) {
        JsonNode root;
        try {
            root = JSON.readTree(PolicyFiles.read(file));
        } catch (JacksonException e) {
            // Jackson's message quotes the input, which may be PHI: give the location only.
            JsonLocation at = e.getLocation();
            throw CliFailure.invalid(file + ": not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        }
        if (!(root instanceof ObjectNode parsed)) {
            throw CliFailure.invalid(file + ": expected a Segment message (a JSON object)");
        }
        ObjectNode message = parsed.deepCopy();
        String wire = text(message, "type");
        if (wire == null) {
            wire = message.has("event") ? "track" : null;
        }
        EventType type = wire == null ? null : EventType.fromWire(wire).orElse(null);
        if (type == null) {
            throw CliFailure.invalid(file + ": type: expected one of track, page, screen, identify, group, alias");
        }
        Instant receivedAt = request.receivedAt() != null
                ? request.receivedAt()
                : instant(file, message, "receivedAt", Instant.now());
        Instant timestamp = instant(file, message, "timestamp", receivedAt);
        String messageId = text(message, "messageId");
        if (messageId == null || messageId.isBlank()) {
            messageId = "preview-message";
        }
        // The ingest API normalizes these four fields; the engine relies on them.
        message.put("type", type.wireName());
        message.put("messageId", messageId);
        message.put("timestamp", timestamp.toString());
        message.put("receivedAt", receivedAt.toString());
        JsonNode context = message.path("context");
        String ip = request.ip() != null ? request.ip() : text(context, "ip");
        String userAgent = request.userAgent() != null ? request.userAgent() : text(context, "userAgent");
        return new RawEvent(
                request.sourceId(), messageId, type, receivedAt, timestamp, message, ip, userAgent, request.gpc());
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static Instant instant(Path file, JsonNode message, String field, Instant fallback) {
        String value = text(message, field);
        if (value == null) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw CliFailure.invalid(
                    file + ": " + field + ": expected an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }
}

package dev.veil.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * Converts a {@link RawEvent} to and from bytes: a versioned JSON envelope ({@code v, sourceId, messageId,
 * type, receivedAt, timestamp, ip, userAgent, gpc, message}). Stores encrypt these bytes; the codec itself
 * does no crypto. Stateless and thread-safe.
 *
 * <p>Decoding errors name the envelope field and what was wrong, never a value (the envelope holds PHI).
 */
public final class RawEventCodec {

    /** The envelope version written by {@link #encode}. */
    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RawEventCodec() {}

    /** Serializes the event as a UTF-8 JSON envelope. */
    public static byte[] encode(RawEvent event) {
        ObjectNode env = MAPPER.createObjectNode();
        env.put("v", VERSION);
        env.put("sourceId", event.sourceId());
        env.put("messageId", event.messageId());
        env.put("type", event.type().wireName());
        env.put("receivedAt", event.receivedAt().toString());
        env.put("timestamp", event.timestamp().toString());
        if (event.clientIp() != null) {
            env.put("ip", event.clientIp());
        }
        if (event.userAgent() != null) {
            env.put("userAgent", event.userAgent());
        }
        env.put("gpc", event.gpc());
        env.set("message", event.message());
        try {
            return MAPPER.writeValueAsBytes(env);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("raw event encode: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Parses an envelope written by {@link #encode}.
     *
     * @throws IllegalArgumentException naming the field when the bytes are not a valid envelope
     */
    public static RawEvent decode(byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (IOException e) {
            // The parser's message quotes input; keep only its location.
            throw new IllegalArgumentException("raw event decode: not JSON (" + bytes.length + " bytes)");
        }
        if (!(root instanceof ObjectNode env)) {
            throw new IllegalArgumentException("raw event decode: envelope is not a JSON object");
        }
        int version = env.path("v").asInt(-1);
        if (version != VERSION) {
            throw new IllegalArgumentException("raw event decode: envelope version " + version + " is not supported");
        }
        String typeName = text(env, "type");
        EventType type = EventType.fromWire(typeName)
                .orElseThrow(() -> new IllegalArgumentException("raw event decode: field 'type' is not a call type"));
        if (!(env.get("message") instanceof ObjectNode message)) {
            throw new IllegalArgumentException("raw event decode: field 'message' is missing or not an object");
        }
        return new RawEvent(
                text(env, "sourceId"),
                text(env, "messageId"),
                type,
                instant(env, "receivedAt"),
                instant(env, "timestamp"),
                message,
                optionalText(env, "ip"),
                optionalText(env, "userAgent"),
                env.path("gpc").asBoolean(false));
    }

    private static String text(ObjectNode env, String field) {
        JsonNode node = env.get(field);
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException("raw event decode: field '" + field + "' is missing or not a string");
        }
        return node.asText();
    }

    private static @Nullable String optionalText(ObjectNode env, String field) {
        JsonNode node = env.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        return text(env, field);
    }

    private static Instant instant(ObjectNode env, String field) {
        try {
            return Instant.parse(text(env, field));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("raw event decode: field '" + field + "' is not an ISO-8601 instant");
        }
    }
}

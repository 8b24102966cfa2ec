package dev.veil.console.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import java.time.Instant;
import java.util.UUID;

/** Raw events for console tests, from JSON text. */
public final class Events {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Events() {}

    /** A raw event of source {@code web} from a Segment message in JSON (its {@code type} decides the call type). */
    public static RawEvent raw(String json, Instant at) {
        try {
            ObjectNode msg = (ObjectNode) JSON.readTree(json);
            String messageId = msg.path("messageId").asText(UUID.randomUUID().toString());
            msg.put("messageId", messageId);
            EventType type =
                    EventType.fromWire(msg.path("type").asText("track")).orElseThrow();
            return new RawEvent("web", messageId, type, at, at, msg, "203.0.113.9", "Mozilla/5.0", false);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

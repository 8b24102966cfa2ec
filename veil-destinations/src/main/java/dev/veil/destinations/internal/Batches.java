package dev.veil.destinations.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.destinations.spi.Rejected;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Splits mapped events into request bodies that respect a vendor's event count and body size limits. Events with
 * equal envelopes (see {@link Mapped.Ok#envelope()}) share requests; order is kept within an envelope.
 */
public final class Batches {

    /** One request body and the message ids it carries, in body order. */
    public record Body(byte[] bytes, List<String> messageIds) {
        public Body {
            messageIds = List.copyOf(messageIds);
        }
    }

    /** A mapped event with its message id. */
    public record Item(
            String messageId, ObjectNode event, @Nullable ObjectNode envelope) {}

    private Batches() {}

    /**
     * @param bodyOf builds the request body from an envelope (may be null) and the events array
     * @param rejected receives events too large to fit any request
     */
    public static List<Body> split(
            List<Item> items,
            int maxEvents,
            int maxBytes,
            BiFunction<@Nullable ObjectNode, ArrayNode, ? extends JsonNode> bodyOf,
            List<Rejected> rejected) {
        Map<Object, List<Item>> byEnvelope = new LinkedHashMap<>();
        for (Item item : items) {
            Object key = item.envelope() == null ? "" : item.envelope();
            byEnvelope.computeIfAbsent(key, k -> new ArrayList<>()).add(item);
        }
        List<Body> bodies = new ArrayList<>();
        for (List<Item> group : byEnvelope.values()) {
            ObjectNode envelope = group.get(0).envelope();
            int emptySize = Json.bytes(bodyOf.apply(envelope, Json.MAPPER.createArrayNode())).length;
            ArrayNode current = Json.MAPPER.createArrayNode();
            List<String> ids = new ArrayList<>();
            int size = emptySize;
            for (Item item : group) {
                int eventSize = Json.bytes(item.event()).length;
                if (emptySize + eventSize >= maxBytes) {
                    rejected.add(new Rejected(
                            item.messageId(),
                            "event: " + eventSize + " bytes; the vendor accepts requests under " + maxBytes));
                    continue;
                }
                int added = eventSize + (current.isEmpty() ? 0 : 1);
                if (current.size() == maxEvents || size + added >= maxBytes) {
                    bodies.add(new Body(Json.bytes(bodyOf.apply(envelope, current)), ids));
                    current = Json.MAPPER.createArrayNode();
                    ids = new ArrayList<>();
                    size = emptySize;
                    added = eventSize;
                }
                current.add(item.event());
                ids.add(item.messageId());
                size += added;
            }
            if (!current.isEmpty()) {
                bodies.add(new Body(Json.bytes(bodyOf.apply(envelope, current)), ids));
            }
        }
        return bodies;
    }
}

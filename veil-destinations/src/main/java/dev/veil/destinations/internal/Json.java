package dev.veil.destinations.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The one JSON mapper of the connectors, and small helpers around it. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Converts a JSON-like value (String, Number, Boolean, List, Map) to a node. */
    public static JsonNode node(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Parses a vendor's response body; empty when it is not JSON. */
    public static Optional<JsonNode> parse(String body) {
        if (body.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(MAPPER.readTree(body));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** Puts a string only when it is non-null and non-empty. */
    public static void putIfPresent(ObjectNode node, String field, @Nullable String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }
}

package dev.veil.server.cli.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.SafeEvent;
import dev.veil.core.engine.Decision;
import org.jspecify.annotations.Nullable;

/** Writes a {@link Decision} as the JSON {@code veil preview} prints. */
final class DecisionJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            // Absent context fields are left out: the preview shows what is sent, not the shape of the record.
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private DecisionJson() {}

    static String write(String destinationId, Decision decision, int maskingKeyVersion) {
        return write(destinationId, decision, maskingKeyVersion, java.util.List.of());
    }

    /** With {@code warnings}: policy warnings about this destination (free-text fields the scanner cannot vouch for). */
    static String write(
            String destinationId, Decision decision, int maskingKeyVersion, java.util.List<String> warnings) {
        ObjectNode root = JSON.createObjectNode();
        root.put("destination", destinationId);
        switch (decision) {
            case Decision.Forward f -> root.set("event", event(f.event()));
            case Decision.Dropped d -> {
                ObjectNode dropped = root.putObject("dropped");
                dropped.put("reason", d.reason());
                dropped.put("detail", d.detail());
            }
        }
        root.put("maskingKeyVersion", maskingKeyVersion);
        if (!warnings.isEmpty()) {
            ArrayNode w = root.putArray("warnings");
            warnings.forEach(w::add);
        }
        ArrayNode trace = root.putArray("trace");
        for (Decision.TraceEntry t : decision.trace()) {
            trace.addObject().put("field", t.field()).put("action", t.action()).put("rule", t.rule());
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("write preview JSON", e);
        }
    }

    private static ObjectNode event(SafeEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("destinationId", e.destinationId());
        n.put("type", e.type().wireName());
        n.put("messageId", e.messageId());
        n.put("timestamp", e.timestamp().toString());
        putNullable(n, "name", e.name());
        putNullable(n, "userId", e.userId());
        putNullable(n, "anonymousId", e.anonymousId());
        putNullable(n, "groupId", e.groupId());
        putNullable(n, "previousId", e.previousId());
        n.set("properties", JSON.valueToTree(e.properties()));
        n.set("traits", JSON.valueToTree(e.traits()));
        // The context is records of strings, numbers and maps: Jackson writes them field by field.
        ObjectNode context = JSON.valueToTree(e.context());
        n.set("context", context);
        return n;
    }

    private static void putNullable(ObjectNode n, String field, @Nullable String value) {
        if (value != null) {
            n.put(field, value);
        }
    }
}

package dev.veil.console.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.SafeEvent;
import dev.veil.core.engine.SafeNames;
import dev.veil.core.event.RawEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An event flattened into leaf fields for the debugger: each with its path as sent, its path with names that
 * look like PHI replaced (as the engine's traces and the data dictionary name it), and its value as text.
 * Templates show the value only when raw data is revealed. Pure.
 */
final class EventFields {

    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final SafeNames NAMES = SafeNames.strict();

    /**
     * One leaf field.
     *
     * @param path the path with real key names (PHI possible: shown only when revealed)
     * @param safePath the path with unsafe key names replaced (shown otherwise; matches trace entries)
     * @param value the value as text (PHI possible: shown only when revealed)
     */
    record Leaf(String path, String safePath, String value) {}

    private EventFields() {}

    /** The fields of an event as received: the message and what the server captured about the request. */
    static List<Leaf> received(RawEvent e) {
        List<Leaf> out = new ArrayList<>();
        walk(e.message(), "", "", out);
        if (e.clientIp() != null) {
            out.add(new Leaf("request.ip", "request.ip", e.clientIp()));
        }
        if (e.userAgent() != null) {
            out.add(new Leaf("request.userAgent", "request.userAgent", e.userAgent()));
        }
        return out;
    }

    /** The fields a destination received. */
    static List<Leaf> sent(SafeEvent e) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", e.type().wireName());
        if (e.name() != null) {
            n.put("event", e.name());
        }
        putIf(n, "userId", e.userId());
        putIf(n, "anonymousId", e.anonymousId());
        putIf(n, "groupId", e.groupId());
        putIf(n, "previousId", e.previousId());
        n.set("properties", JSON.valueToTree(e.properties()));
        n.set("traits", JSON.valueToTree(e.traits()));
        n.set("context", JSON.valueToTree(e.context()));
        List<Leaf> out = new ArrayList<>();
        walk(n, "", "", out);
        return out;
    }

    private static void putIf(ObjectNode n, String key, @org.jspecify.annotations.Nullable String v) {
        if (v != null) {
            n.put(key, v);
        }
    }

    private static void walk(JsonNode node, String path, String safe, List<Leaf> out) {
        if (node.isObject()) {
            if (node.isEmpty() && !path.isEmpty()) {
                return;
            }
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                String key = f.getKey();
                walk(f.getValue(), join(path, key), join(safe, NAMES.key(key)), out);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                walk(child, path + "[]", safe + "[]", out);
            }
        } else if (!node.isNull() && !path.isEmpty()) {
            out.add(new Leaf(path, safe, node.asText()));
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}

package dev.veil.server.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;

/** Small helpers over Jackson trees used by validation. */
final class Json {

    private Json() {}

    /** What a node is, for error messages ("a string", "an array", ...), never its value. */
    static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }

    /** Nesting depth of containers: a flat object is 1. Iterative, so hostile input cannot overflow the stack. */
    static int depth(JsonNode root) {
        if (!root.isContainerNode()) {
            return 0;
        }
        int max = 0;
        Deque<JsonNode> nodes = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            JsonNode n = nodes.pop();
            int d = depths.pop();
            max = Math.max(max, d);
            for (JsonNode child : n) {
                if (child.isContainerNode()) {
                    nodes.push(child);
                    depths.push(d + 1);
                }
            }
        }
        return max;
    }
}

package dev.veil.admin.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.veil.admin.AdminException;
import java.util.Optional;

/**
 * A policy's YAML as an editable tree, for API edits that change one destination without the caller writing
 * YAML. Comments and layout are not kept (the text is rewritten in plain block style); meaning is, and the
 * result goes through the validator like any other draft. Not thread-safe (one per edit).
 */
final class PolicyTree {

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());

    private final ObjectNode root;

    private PolicyTree(ObjectNode root) {
        this.root = root;
    }

    static PolicyTree parse(String yaml) {
        try {
            JsonNode n = YAML.readTree(yaml);
            if (n instanceof ObjectNode o) {
                return new PolicyTree(o);
            }
        } catch (JsonProcessingException e) {
            // reported below, without the parser's message (it may quote the text)
        }
        throw new AdminException(
                422, "invalid_policy", "the draft's YAML cannot be edited field by field; fix it as text first");
    }

    /** The destination entry with {@code id}, if present. */
    Optional<ObjectNode> destination(String id) {
        for (JsonNode d : destinations()) {
            if (d instanceof ObjectNode o && id.equals(o.path("id").asText(null))) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** The destination entry with {@code id}, appended (with its id) when absent. */
    ObjectNode destinationOrNew(String id) {
        return destination(id).orElseGet(() -> {
            ObjectNode o = destinations().addObject();
            o.put("id", id);
            return o;
        });
    }

    /** Removes the destination entry; returns whether it was there. */
    boolean removeDestination(String id) {
        ArrayNode list = destinations();
        for (int i = 0; i < list.size(); i++) {
            if (id.equals(list.get(i).path("id").asText(null))) {
                list.remove(i);
                return true;
            }
        }
        return false;
    }

    private ArrayNode destinations() {
        JsonNode d = root.get("destinations");
        if (d instanceof ArrayNode a) {
            return a;
        }
        return root.putArray("destinations");
    }

    String write() {
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("policy tree cannot be written", e);
        }
    }
}

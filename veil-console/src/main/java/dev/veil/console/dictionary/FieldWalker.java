package dev.veil.console.dictionary;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.core.engine.SafeNames;
import dev.veil.core.event.RawEvent;
import dev.veil.store.DictionaryStore.EventKey;
import dev.veil.store.DictionaryStore.FieldType;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the shape of one event: its {@link EventKey} and every field path with the types found there, never a
 * value. Walks {@code properties}, {@code traits} and {@code context} at any depth up to {@link #MAX_DEPTH}, plus
 * the identifiers and the page name. Array elements share one path ({@code items[].sku}). Key and event names
 * pass through {@link SafeNames} (a name that looks like PHI becomes a marker), with the verdicts cached since
 * the same few names repeat in every event. Not thread-safe: one per learner thread.
 */
public final class FieldWalker {

    static final int MAX_DEPTH = 8;
    static final int MAX_PATHS_PER_EVENT = 256;
    static final int MAX_ARRAY_ELEMENTS = 20;
    private static final int NAME_CACHE = 10_000;

    private static final String[] ROOTS = {"properties", "traits", "context"};
    private static final String[] TOP_LEVEL = {"userId", "anonymousId", "groupId", "previousId", "name"};

    private final SafeNames names;
    private final Map<String, String> keyCache = lru();
    private final Map<String, String> eventCache = lru();

    public FieldWalker(SafeNames names) {
        this.names = names;
    }

    private static Map<String, String> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > NAME_CACHE;
            }
        };
    }

    /** The event's key, with its name made safe. */
    public EventKey key(RawEvent event) {
        String type = event.type().wireName();
        if (!type.equals("track")) {
            return EventKey.call(type);
        }
        JsonNode name = event.message().path("event");
        String text = name.isTextual() ? name.textValue() : "";
        return EventKey.track(eventCache.computeIfAbsent(text, names::eventName));
    }

    /** Every field path of the event with the types seen there (in the event's order). */
    public Map<String, Set<FieldType>> fields(RawEvent event) {
        Map<String, Set<FieldType>> out = new LinkedHashMap<>();
        JsonNode msg = event.message();
        for (String top : TOP_LEVEL) {
            JsonNode v = msg.get(top);
            if (v != null && !(top.equals("name") && event.type().wireName().equals("track"))) {
                add(out, top, type(v));
            }
        }
        for (String root : ROOTS) {
            JsonNode v = msg.get(root);
            if (v != null && v.isObject()) {
                walkObject(v, root, 1, out);
            }
        }
        return out;
    }

    private void walk(JsonNode v, String path, int depth, Map<String, Set<FieldType>> out) {
        if (!add(out, path, type(v))) {
            return;
        }
        if (depth >= MAX_DEPTH) {
            return;
        }
        if (v.isObject()) {
            walkObject(v, path, depth + 1, out);
        } else if (v.isArray()) {
            int n = 0;
            for (JsonNode element : v) {
                if (n++ == MAX_ARRAY_ELEMENTS) {
                    break;
                }
                walk(element, path + "[]", depth + 1, out);
            }
        }
    }

    private void walkObject(JsonNode v, String path, int depth, Map<String, Set<FieldType>> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            walk(e.getValue(), path + "." + keyCache.computeIfAbsent(e.getKey(), names::key), depth, out);
            if (out.size() >= MAX_PATHS_PER_EVENT) {
                return;
            }
        }
    }

    /** Adds a type at a path; false when the event already has its maximum number of paths. */
    private static boolean add(Map<String, Set<FieldType>> out, String path, FieldType type) {
        Set<FieldType> types = out.get(path);
        if (types == null) {
            if (out.size() >= MAX_PATHS_PER_EVENT) {
                return false;
            }
            types = EnumSet.noneOf(FieldType.class);
            out.put(path, types);
        }
        types.add(type);
        return true;
    }

    static FieldType type(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING, BINARY -> FieldType.STRING;
            case NUMBER -> FieldType.NUMBER;
            case BOOLEAN -> FieldType.BOOLEAN;
            case OBJECT, POJO -> FieldType.OBJECT;
            case ARRAY -> FieldType.ARRAY;
            case NULL, MISSING -> FieldType.NULL;
        };
    }
}

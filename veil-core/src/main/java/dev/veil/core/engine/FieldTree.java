package dev.veil.core.engine;

import dev.veil.core.policy.FieldRule;
import dev.veil.core.policy.Transform;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An allowlist compiled into a tree of dotted paths: {@code product.category: pass} becomes node {@code product}
 * with child {@code category} carrying {@code pass}. Immutable once built.
 *
 * <p>Children are kept both in a map (to ask whether an event's key is listed) and in arrays (the engine walks
 * the listed keys and looks them up in the event, which is cheaper than walking every key of the event when, as
 * usual, a destination allows a few of many).
 */
final class FieldTree {

    static final FieldTree EMPTY = new FieldTree().freeze();

    private @Nullable Transform rule;
    private final Map<String, FieldTree> children = new LinkedHashMap<>();
    private String[] names = new String[0];
    private FieldTree[] nodes = new FieldTree[0];

    private FieldTree() {}

    /** Compiles {@code rules}; entries of {@code overrides} replace those of {@code base} with the same key. */
    static FieldTree of(Map<String, FieldRule> base, Map<String, FieldRule> overrides) {
        if (base.isEmpty() && overrides.isEmpty()) {
            return EMPTY;
        }
        Map<String, FieldRule> all = new LinkedHashMap<>(base);
        all.putAll(overrides);
        FieldTree root = new FieldTree();
        all.forEach((path, rule) -> {
            FieldTree node = root;
            for (String part : path.split("\\.", -1)) {
                node = node.children.computeIfAbsent(part, k -> new FieldTree());
            }
            node.rule = rule.transform();
        });
        return root.freeze();
    }

    private FieldTree freeze() {
        names = children.keySet().toArray(String[]::new);
        nodes = new FieldTree[names.length];
        for (int i = 0; i < names.length; i++) {
            nodes[i] = children.get(names[i]).freeze();
        }
        return this;
    }

    @Nullable
    Transform rule() {
        return rule;
    }

    @Nullable
    FieldTree child(String name) {
        return children.get(name);
    }

    /** Number of listed children. */
    int size() {
        return names.length;
    }

    /** The name of listed child {@code i}. */
    String name(int i) {
        return names[i];
    }

    /** Listed child {@code i}. */
    FieldTree node(int i) {
        return nodes[i];
    }

    boolean hasChildren() {
        return names.length > 0;
    }

    boolean isEmpty() {
        return rule == null && children.isEmpty();
    }
}

package dev.veil.core.engine;

import dev.veil.core.policy.FieldRule;
import dev.veil.core.policy.Transform;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An allowlist compiled into a tree of dotted paths: {@code product.category: pass} becomes node {@code product}
 * with child {@code category} carrying {@code pass}. Immutable once built.
 */
final class FieldTree {

    static final FieldTree EMPTY = new FieldTree();

    private @Nullable Transform rule;
    private final Map<String, FieldTree> children = new LinkedHashMap<>();

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
        return root;
    }

    @Nullable
    Transform rule() {
        return rule;
    }

    @Nullable
    FieldTree child(String name) {
        return children.get(name);
    }

    boolean hasChildren() {
        return !children.isEmpty();
    }

    boolean isEmpty() {
        return rule == null && children.isEmpty();
    }
}

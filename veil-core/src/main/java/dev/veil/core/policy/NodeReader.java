package dev.veil.core.policy;

import dev.veil.core.policy.YamlTree.ListNode;
import dev.veil.core.policy.YamlTree.MapNode;
import dev.veil.core.policy.YamlTree.Node;
import dev.veil.core.policy.YamlTree.Scalar;
import dev.veil.core.policy.YamlTree.ScalarKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads over a {@link YamlTree} that collect problems instead of stopping at the first one, and record
 * the line of every path they visit. Mutable, confined to one parse.
 */
final class NodeReader {

    final List<PolicyProblem> errors = new ArrayList<>();
    final LineIndex.Builder lines = new LineIndex.Builder();

    void error(String path, int line, String detail) {
        errors.add(PolicyProblem.error(path, line, detail));
    }

    static String typeName(Node node) {
        return switch (node) {
            case MapNode m -> "a mapping";
            case ListNode l -> "a list";
            case Scalar s ->
                switch (s.kind()) {
                    case STRING -> "a string";
                    case INTEGER -> "an integer";
                    case FLOAT -> "a number";
                    case BOOLEAN -> "a boolean";
                    case NULL -> "nothing";
                };
        };
    }

    /** A mapping with a fixed set of keys; unknown keys are reported. Null when {@code node} is not a mapping. */
    @Nullable
    Fields fields(Node node, String path, String... allowed) {
        lines.put(path, node.line());
        if (!(node instanceof MapNode map)) {
            error(path, node.line(), "expected a mapping, found " + typeName(node));
            return null;
        }
        Set<String> known = new HashSet<>(Arrays.asList(allowed));
        for (YamlTree.Entry e : map.entries().values()) {
            String childPath = Paths.child(path, e.key());
            lines.put(childPath, e.keyLine());
            if (!known.contains(e.key())) {
                error(
                        childPath,
                        e.keyLine(),
                        "unknown key " + Paths.quoteIfWord(e.key()) + "; expected "
                                + YamlNames.orList(List.of(allowed)));
            }
        }
        return new Fields(map, path);
    }

    /** The string in a scalar node, or null (reported) for anything else. */
    @Nullable
    String string(Node node, String path) {
        lines.put(path, node.line());
        if (node instanceof Scalar s && s.kind() == ScalarKind.STRING) {
            if (s.text().isBlank()) {
                error(path, node.line(), "must not be empty");
                return null;
            }
            return s.text();
        }
        error(path, node.line(), "expected a string, found " + typeName(node));
        return null;
    }

    @Nullable
    Boolean bool(Node node, String path) {
        lines.put(path, node.line());
        if (node instanceof Scalar s && s.kind() == ScalarKind.BOOLEAN) {
            return Boolean.parseBoolean(s.text().toLowerCase(java.util.Locale.ROOT));
        }
        error(path, node.line(), "expected true or false, found " + typeName(node));
        return null;
    }

    <E extends Enum<E>> @Nullable E enumValue(Node node, String path, Class<E> type) {
        lines.put(path, node.line());
        if (!(node instanceof Scalar s) || s.kind() != ScalarKind.STRING) {
            error(path, node.line(), "expected one of " + YamlNames.choices(type) + ", found " + typeName(node));
            return null;
        }
        var value = YamlNames.parse(type, s.text());
        if (value.isEmpty()) {
            error(
                    path,
                    node.line(),
                    "unknown value " + Paths.quoteIfWord(s.text()) + "; expected " + YamlNames.choices(type));
            return null;
        }
        return value.get();
    }

    /**
     * A list whose items are read by {@code item}; items that fail are left out (they were reported). Duplicate
     * items are reported when {@code unique}.
     */
    <T> @Nullable List<T> list(Node node, String path, boolean unique, ItemReader<T> item) {
        lines.put(path, node.line());
        if (!(node instanceof ListNode list)) {
            error(path, node.line(), "expected a list, found " + typeName(node));
            return null;
        }
        List<T> out = new ArrayList<>();
        Set<T> seen = new LinkedHashSet<>();
        for (int i = 0; i < list.items().size(); i++) {
            Node n = list.items().get(i);
            String itemPath = Paths.item(path, i);
            lines.put(itemPath, n.line());
            T value = item.read(n, itemPath);
            if (value == null) {
                continue;
            }
            if (unique && !seen.add(value)) {
                error(itemPath, n.line(), "duplicate entry");
                continue;
            }
            out.add(value);
        }
        return out;
    }

    List<String> stringList(Node node, String path, boolean unique) {
        List<String> out = list(node, path, unique, this::string);
        return out == null ? List.of() : out;
    }

    /** Reads one list item; returns null after reporting a problem. */
    @FunctionalInterface
    interface ItemReader<T> {
        @Nullable
        T read(Node node, String path);
    }

    /** The entries of one mapping, read with defaults for absent keys. */
    final class Fields {
        final MapNode map;
        final String path;

        Fields(MapNode map, String path) {
            this.map = map;
            this.path = path;
        }

        @Nullable
        Node node(String key) {
            YamlTree.Entry e = map.entries().get(key);
            return e == null ? null : e.value();
        }

        String path(String key) {
            return Paths.child(path, key);
        }

        @Nullable
        String requiredString(String key) {
            Node n = node(key);
            if (n == null) {
                error(path, map.line(), "missing required key '" + key + "'");
                return null;
            }
            return string(n, path(key));
        }

        @Nullable
        String optionalString(String key) {
            Node n = node(key);
            return n == null ? null : string(n, path(key));
        }

        boolean bool(String key, boolean defaultValue) {
            Node n = node(key);
            if (n == null) {
                return defaultValue;
            }
            Boolean b = NodeReader.this.bool(n, path(key));
            return b == null ? defaultValue : b;
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
            Node n = node(key);
            if (n == null) {
                return defaultValue;
            }
            E e = NodeReader.this.enumValue(n, path(key), type);
            return e == null ? defaultValue : e;
        }

        List<String> stringList(String key) {
            Node n = node(key);
            return n == null ? List.of() : NodeReader.this.stringList(n, path(key), true);
        }

        <T> T object(String key, T defaultValue, Function<Fields, T> reader, String... allowed) {
            Node n = node(key);
            if (n == null) {
                return defaultValue;
            }
            Fields f = fields(n, path(key), allowed);
            return f == null ? defaultValue : reader.apply(f);
        }
    }
}

package dev.veil.core.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The source line of every YAML path in a parsed policy, so that checks made later on the {@link Policy}
 * (which carries no positions) can still name the line. Immutable.
 */
public final class LineIndex {

    /** An index that knows no lines, for policies built in code. */
    public static final LineIndex EMPTY = new LineIndex(Map.of());

    private final Map<String, Integer> lines;

    LineIndex(Map<String, Integer> lines) {
        this.lines = Map.copyOf(lines);
    }

    /**
     * The line of {@code path}, or of its nearest enclosing path that has one (a default value has no line of
     * its own: its parent block's line is the best place to point at), or 0.
     */
    public int lineOf(String path) {
        return lookup(lines, path);
    }

    private static int lookup(Map<String, Integer> lines, String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 0;
            }
            p = parent(p);
        }
    }

    private static String parent(String path) {
        int dot = path.lastIndexOf('.');
        int bracket = path.lastIndexOf('[');
        int cut = Math.max(dot, bracket);
        return cut <= 0 ? "" : path.substring(0, cut);
    }

    /** Collects lines while a document is read. */
    static final class Builder {
        private final Map<String, Integer> lines = new LinkedHashMap<>();

        void put(String path, int line) {
            lines.putIfAbsent(path, line);
        }

        int lineOf(String path) {
            return lookup(lines, path);
        }

        LineIndex build() {
            return new LineIndex(lines);
        }
    }
}

package dev.veil.core.engine;

import org.jspecify.annotations.Nullable;

/**
 * A field path such as {@code properties.product.sku} or {@code properties.items[]}, built without string
 * concatenation and rendered only when a trace is read or the PHI scanner reports a hit.
 *
 * <p>Why: an evaluation walks every key of an event (about 30 per destination in a typical event) but almost
 * never needs the paths as strings; concatenating them eagerly was a large share of the engine's time. Keys of
 * the event that are not allowlisted are rendered through {@link #safeKey}, because the event's own key names
 * can carry PHI (e.g. a key that is an e-mail address).
 */
final class FieldPath {

    static final String UNNAMED = "<unnamed key>";

    private static final PhiScanner DEFAULT_SCANNER = PhiScanner.defaults();

    private enum Kind {
        /** A key the policy names: safe to render as is. */
        ALLOWED,
        /** A key of the event that no rule names: rendered through {@link #safeKey}. */
        UNCHECKED,
        /** An array element: the parent path with {@code []}. */
        ELEMENT
    }

    private final Object parent; // String or FieldPath
    private final @Nullable String key;
    private final Kind kind;

    private FieldPath(Object parent, @Nullable String key, Kind kind) {
        this.parent = parent;
        this.key = key;
        this.kind = kind;
    }

    /** {@code parent.key} for a key the policy names. */
    static FieldPath allowed(Object parent, String key) {
        return new FieldPath(parent, key, Kind.ALLOWED);
    }

    /** {@code parent.key} for a key of the event that is not allowlisted (rendered with {@link #safeKey}). */
    static FieldPath unchecked(Object parent, String key) {
        return new FieldPath(parent, key, Kind.UNCHECKED);
    }

    /** {@code parent[]}. */
    static FieldPath element(Object parent) {
        return new FieldPath(parent, null, Kind.ELEMENT);
    }

    /** The last key of the path (an array element's key is its array's); null when unnamed. */
    @Nullable
    String leafKey() {
        if (kind != Kind.ELEMENT) {
            return key;
        }
        return parent instanceof FieldPath p
                ? p.leafKey()
                : ((String) parent).substring(((String) parent).lastIndexOf('.') + 1);
    }

    /** The path's first part ({@code properties}, {@code traits}, ...). */
    String root() {
        Object p = parent;
        while (p instanceof FieldPath f) {
            p = f.parent;
        }
        String s = (String) p;
        int dot = s.indexOf('.');
        return dot < 0 ? s : s.substring(0, dot);
    }

    /** Renders a path given as a {@link String} or a {@link FieldPath}. */
    static String render(Object path, PhiScanner scanner) {
        return path instanceof FieldPath p ? p.render(scanner) : (String) path;
    }

    String render(PhiScanner scanner) {
        StringBuilder sb = new StringBuilder(48);
        append(sb, scanner);
        return sb.toString();
    }

    private void append(StringBuilder sb, PhiScanner scanner) {
        if (parent instanceof FieldPath p) {
            p.append(sb, scanner);
        } else {
            sb.append((String) parent);
        }
        switch (kind) {
            case ALLOWED -> sb.append('.').append(key);
            case UNCHECKED -> sb.append('.').append(safeKey(key, scanner));
            case ELEMENT -> sb.append("[]");
        }
    }

    /** A key name fit for a trace: the name when it is a plain identifier with no PHI pattern, else a marker. */
    static String safeKey(@Nullable String key, PhiScanner scanner) {
        if (key == null) {
            return UNNAMED;
        }
        int n = key.length();
        if (n == 0 || n > 64) {
            return UNNAMED;
        }
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || c == '_'
                    || c == '$'
                    || (i > 0 && ((c >= '0' && c <= '9') || c == '-' || c == ' '));
            if (!ok) {
                return UNNAMED;
            }
        }
        return scanner.scan(key).matched() ? UNNAMED : key;
    }

    /** Renders as a trace does, with every detector checking the event's own key names. */
    @Override
    public String toString() {
        return render(DEFAULT_SCANNER);
    }
}

package dev.veil.core.engine;

import dev.veil.core.engine.Decision.TraceEntry;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.RandomAccess;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The decision trace of one evaluation: recorded as cheap (path, action, rule) triples while the engine works
 * and rendered into {@link TraceEntry} values, in order and without duplicates, the first time it is read.
 *
 * <p>Why lazy: every evaluation records a trace (one entry per dropped, masked or transformed field, about 30
 * for a typical event), but only the CLI preview, the console's debugger and tests read it. Rendering includes
 * the PHI check of the event's own key names ({@link FieldPath#safeKey}), which is the costly part. Immutable
 * and thread-safe: rendering is idempotent and published through a volatile field.
 */
final class Trace extends AbstractList<TraceEntry> implements RandomAccess {

    /** Collects the triples during one evaluation; confined to the evaluating thread. */
    static final class Recorder {
        private Object[] paths = new Object[16];
        private String[] actions = new String[16];
        private String[] rules = new String[16];
        private int size;

        void add(Object path, String action, String rule) {
            if (size == paths.length) {
                int n = size * 2;
                paths = Arrays.copyOf(paths, n);
                actions = Arrays.copyOf(actions, n);
                rules = Arrays.copyOf(rules, n);
            }
            paths[size] = path;
            actions[size] = action;
            rules[size] = rule;
            size++;
        }

        /** The trace; the recorder must not be used afterwards (the arrays are handed over, not copied). */
        Trace finish(PhiScanner scanner) {
            return new Trace(paths, actions, rules, size, scanner);
        }
    }

    private final Object[] paths;
    private final String[] actions;
    private final String[] rules;
    private final int size;
    private final PhiScanner scanner;
    private volatile @Nullable List<TraceEntry> rendered;

    private Trace(Object[] paths, String[] actions, String[] rules, int size, PhiScanner scanner) {
        this.paths = paths;
        this.actions = actions;
        this.rules = rules;
        this.size = size;
        this.scanner = scanner;
    }

    /** How many distinct entries have {@code action}, rendering only when at least one has it. */
    int count(String action) {
        for (int i = 0; i < size; i++) {
            if (actions[i].equals(action)) {
                return (int) entries().stream()
                        .filter(t -> t.action().equals(action))
                        .count();
            }
        }
        return 0;
    }

    @Override
    public TraceEntry get(int index) {
        return entries().get(index);
    }

    @Override
    public int size() {
        return entries().size();
    }

    private List<TraceEntry> entries() {
        List<TraceEntry> r = rendered;
        if (r == null) {
            Set<TraceEntry> distinct = new LinkedHashSet<>();
            for (int i = 0; i < size; i++) {
                String action = actions[i];
                String rule = rules[i];
                if (paths[i] instanceof FieldFilter.UnlistedKeys unlisted) {
                    unlisted.forEach(p -> distinct.add(new TraceEntry(p.render(scanner), action, rule)));
                } else {
                    distinct.add(new TraceEntry(FieldPath.render(paths[i], scanner), action, rule));
                }
            }
            r = List.copyOf(distinct);
            rendered = r;
        }
        return r;
    }
}

package dev.veil.console.ops;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request's parameters (form fields and query parameters together), as the console's routes hand them to a
 * page. Values are trimmed; a missing parameter reads as empty. Immutable.
 */
public record Form(Map<String, List<String>> values) {

    public static final Form EMPTY = new Form(Map.of());

    public Form {
        values = Map.copyOf(values);
    }

    public static Form of(Map<String, String> single) {
        java.util.Map<String, List<String>> m = new java.util.HashMap<>();
        single.forEach((k, v) -> m.put(k, List.of(v)));
        return new Form(m);
    }

    /** The first value of {@code name}, trimmed, or empty. */
    public String get(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? "" : v.getFirst().strip();
    }

    /** The first value of {@code name} as is (secrets and passwords are not trimmed), or empty. */
    public String raw(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() ? "" : v.getFirst();
    }

    /** Every value of {@code name}, trimmed, blanks left out. */
    public List<String> all(String name) {
        List<String> v = values.get(name);
        return v == null
                ? List.of()
                : v.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    public boolean checked(String name) {
        String v = get(name);
        return v.equals("on") || v.equals("true") || v.equals("1");
    }

    /** The first value as a whole number, or {@code fallback} when absent or not a number. */
    public long number(String name, long fallback) {
        try {
            return Long.parseLong(get(name));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Lines or commas of a text area as a list. */
    public List<String> lines(String name) {
        return java.util.Arrays.stream(get(name).split("[\\r\\n,]+"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    public @Nullable String orNull(String name) {
        String v = get(name);
        return v.isEmpty() ? null : v;
    }
}

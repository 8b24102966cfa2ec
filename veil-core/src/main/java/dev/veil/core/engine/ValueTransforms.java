package dev.veil.core.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value transforms {@code zip3}, {@code year} and {@code age90} (spec "Value transforms"). Stateless.
 *
 * <p>Each returns empty when the input cannot be transformed, and the engine then drops the field: a value that
 * cannot be generalized is never sent as it is.
 */
final class ValueTransforms {

    /** The 3-digit ZIP areas with 20,000 or fewer people, from {@code zip3-restricted.txt}. */
    static final Set<String> RESTRICTED_ZIP3 = loadRestricted();

    private static final Pattern ZIP = Pattern.compile("(\\d{3})\\d{2}(?:-?\\d{4})?");
    private static final Pattern YEAR_FIRST =
            Pattern.compile("((?:1[89]|20)\\d\\d)(?:[-/.](\\d{1,2})[-/.](\\d{1,2}).*)?");
    private static final Pattern YEAR_LAST =
            Pattern.compile("(?:\\d{1,2}[-/.]\\d{1,2}[-/.]|[A-Za-z]{3,9}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+"
                    + "|\\d{1,2}(?:st|nd|rd|th)?\\s+[A-Za-z]{3,9}\\.?,?\\s+)((?:1[89]|20)\\d\\d)");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,3}(?:\\.\\d+)?");

    private ValueTransforms() {}

    /** First three digits of a 5- or 9-digit US ZIP, or {@code 000} for restricted areas. */
    static Optional<String> zip3(String value) {
        Matcher m = ZIP.matcher(value.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String three = m.group(1);
        return Optional.of(RESTRICTED_ZIP3.contains(three) ? "000" : three);
    }

    /** The year of a date or date-time ({@code 1984-03-12}, {@code 03/12/1984}, {@code March 12, 1984}). */
    static Optional<String> year(String value) {
        String v = value.strip();
        Matcher first = YEAR_FIRST.matcher(v);
        if (first.matches()) {
            if (first.group(2) != null && !validMonthDay(first.group(2), first.group(3))) {
                return Optional.empty();
            }
            return Optional.of(first.group(1));
        }
        Matcher last = YEAR_LAST.matcher(v);
        if (last.matches()) {
            return Optional.of(last.group(1));
        }
        return Optional.empty();
    }

    private static boolean validMonthDay(String month, String day) {
        int m = Integer.parseInt(month);
        int d = Integer.parseInt(day);
        return m >= 1 && m <= 12 && d >= 1 && d <= 31;
    }

    /** Ages 0-89 unchanged (as an integer); 90 and over become {@code 90+}. */
    static Optional<Object> age90(String value) {
        String v = value.strip();
        if (!NUMBER.matcher(v).matches()) {
            return Optional.empty();
        }
        int age = (int) Double.parseDouble(v);
        return Optional.of(age >= 90 ? "90+" : (Object) age);
    }

    private static Set<String> loadRestricted() {
        try (InputStream in = ValueTransforms.class.getResourceAsStream("zip3-restricted.txt")) {
            if (in == null) {
                throw new IllegalStateException("zip3-restricted.txt missing from the class path");
            }
            Set<String> out = new HashSet<>();
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .forEach(out::add);
            return Set.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException("reading zip3-restricted.txt", e);
        }
    }
}

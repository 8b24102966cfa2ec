package dev.veil.core.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A URL path template as used by {@code redactPaths} and {@code sensitivePages.match}: segments separated by
 * {@code /}, each a literal, {@code {name}} (any one segment, captured under that name), {@code *} (any one
 * segment) or, as the last segment only, {@code **} (any number of remaining segments, including none).
 * Immutable and thread-safe.
 *
 * @param template the template as written
 * @param segments the parsed segments
 */
public record PathTemplate(String template, List<Segment> segments) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()+,;=:@%-]+");

    public PathTemplate {
        segments = List.copyOf(segments);
    }

    /** One parsed segment. */
    public sealed interface Segment {}

    /** A segment that must equal {@code text}. */
    public record Literal(String text) implements Segment {}

    /** A segment named {@code {name}}: matches any one segment. */
    public record Variable(String name) implements Segment {}

    /** {@code *}: any one segment. */
    public record AnySegment() implements Segment {}

    /** {@code **}: any number of trailing segments. */
    public record AnyRest() implements Segment {}

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException with a value-free reason when the template is malformed
     */
    public static PathTemplate parse(String template) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a path template must start with '/'");
        }
        List<Segment> segments = new ArrayList<>();
        if (template.equals("/")) {
            return new PathTemplate(template, segments);
        }
        String[] parts = template.substring(1).split("/", -1);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            int n = i + 1;
            if (part.isEmpty()) {
                if (i == parts.length - 1) {
                    break; // a trailing slash is allowed and ignored
                }
                throw new IllegalArgumentException("segment " + n + " is empty ('//')");
            }
            if (part.equals("**")) {
                if (i != parts.length - 1) {
                    throw new IllegalArgumentException("'**' is only allowed as the last segment");
                }
                segments.add(new AnyRest());
            } else if (part.equals("*")) {
                segments.add(new AnySegment());
            } else if (part.startsWith("{") && part.endsWith("}")) {
                String name = part.substring(1, part.length() - 1);
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException(
                            "segment " + n + ": a {name} must be a letter followed by" + " letters, digits or '_'");
                }
                if (!names.add(name)) {
                    throw new IllegalArgumentException("segment " + n + ": {" + name + "} is used twice");
                }
                segments.add(new Variable(name));
            } else if (LITERAL.matcher(part).matches()) {
                segments.add(new Literal(part));
            } else {
                throw new IllegalArgumentException("segment " + n + " is neither a literal, {name}, * nor **"
                        + " (braces, '*', '?', '#' and spaces are not allowed inside a literal)");
            }
        }
        return new PathTemplate(template, segments);
    }

    /**
     * Matches a URL path (no query or fragment) against this template.
     *
     * @return the segment indexes (0-based, in {@code path}'s segments) matched by each {@link Variable}, keyed
     *     by variable name in template order; empty when the path does not match
     */
    public Optional<List<Integer>> match(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        String[] parts = trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
        List<Integer> captured = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (s instanceof AnyRest) {
                return Optional.of(captured);
            }
            if (i >= parts.length) {
                return Optional.empty();
            }
            switch (s) {
                case Literal l -> {
                    if (!l.text().equals(parts[i])) {
                        return Optional.empty();
                    }
                }
                case Variable v -> captured.add(i);
                case AnySegment a -> {}
                case AnyRest r -> throw new AssertionError("handled above");
            }
        }
        return parts.length == segments.size() ? Optional.of(captured) : Optional.empty();
    }

    @Override
    public String toString() {
        return template;
    }
}

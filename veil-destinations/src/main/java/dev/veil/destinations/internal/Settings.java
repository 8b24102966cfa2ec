package dev.veil.destinations.internal;

import java.net.URI;
import java.util.Map;

/**
 * Reads a destination's resolved settings, failing with messages that name the setting but never its value (values
 * may be secrets).
 */
public final class Settings {

    private final String type;
    private final String destinationId;
    private final Map<String, String> values;

    public Settings(String type, String destinationId, Map<String, String> values) {
        this.type = type;
        this.destinationId = destinationId;
        this.values = Map.copyOf(values);
    }

    public String required(String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(
                    type + " destination " + destinationId + ": setting '" + key + "' is required");
        }
        return v.trim();
    }

    /** A required setting that must match {@code regex}; the error shows {@code shape}, never the value. */
    public String matching(String key, String regex, String shape) {
        return check(key, required(key), regex, shape);
    }

    /** An optional setting that must match {@code regex} when present. */
    public String matching(String key, String defaultValue, String regex, String shape) {
        return check(key, optional(key, defaultValue), regex, shape);
    }

    private String check(String key, String v, String regex, String shape) {
        if (!v.matches(regex)) {
            throw new IllegalArgumentException(
                    type + " destination " + destinationId + ": setting '" + key + "' must look like " + shape);
        }
        return v;
    }

    /** An optional setting that must be one of {@code allowed}. */
    public String oneOf(String key, String defaultValue, java.util.Set<String> allowed) {
        String v = optional(key, defaultValue);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(type + " destination " + destinationId + ": setting '" + key
                    + "' must be one of " + new java.util.TreeSet<>(allowed));
        }
        return v;
    }

    public String optional(String key, String defaultValue) {
        String v = values.get(key);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    public URI uri(String key, String defaultValue) {
        String v = optional(key, defaultValue);
        try {
            URI uri = URI.create(v);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw new IllegalArgumentException("scheme");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    type + " destination " + destinationId + ": setting '" + key + "' is not an http(s) URL");
        }
    }

    public int integer(String key, int defaultValue, int min, int max) {
        String v = optional(key, Integer.toString(defaultValue));
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(type + " destination " + destinationId + ": setting '" + key
                    + "' must be an integer from " + min + " to " + max);
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        String v = optional(key, Boolean.toString(defaultValue));
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(
                    type + " destination " + destinationId + ": setting '" + key + "' must be true or false");
        }
        return Boolean.parseBoolean(v);
    }

    /** Strips a trailing slash so paths can be appended. */
    public static String base(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}

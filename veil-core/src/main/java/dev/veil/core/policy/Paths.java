package dev.veil.core.policy;

/** Builds the YAML paths used in problems, e.g. {@code destinations[0].context.ip}. */
final class Paths {
    private Paths() {}

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String item(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /**
     * A user-typed word safe to quote in a message: short identifier-like words (typos of {@code geo}, {@code
     * creditCard}) are shown; anything else could be a pasted value, so it is not.
     */
    static String quoteIfWord(String typed) {
        if (typed.length() <= 40 && typed.matches("[A-Za-z][A-Za-z0-9_-]*")) {
            return "'" + typed + "'";
        }
        return "(not shown)";
    }
}

package dev.veil.core.policy;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference to a secret that lives outside the policy: {@code ${env:NAME}}, {@code ${file:/path}} or
 * {@code ${secret:NAME}} (a secret set through the admin API, kept encrypted in the config store). The policy only
 * ever holds the reference; export writes the reference back, never the value.
 */
public record SecretRef(Kind kind, String name) {

    public enum Kind {
        ENV,
        FILE,
        /** A named secret in the config store's secret store (set through the admin API). */
        SECRET
    }

    private static final Pattern REF = Pattern.compile("\\$\\{(env|file|secret):([^}]*)}");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public SecretRef {
        if (kind == Kind.ENV && !ENV_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an environment variable name must be letters, digits and '_'");
        }
        if (kind == Kind.FILE && (!name.startsWith("/") || name.contains("\u0000"))) {
            throw new IllegalArgumentException("a secret file must be an absolute path");
        }
        if (kind == Kind.SECRET && !SECRET_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a stored secret's name must be 1-128 letters, digits, '.', '_' or '-'");
        }
    }

    /** Whether {@code text} is meant as a reference (starts with <code>${</code>), well-formed or not. */
    public static boolean looksLikeReference(String text) {
        return text.startsWith("${");
    }

    /**
     * Parses {@code ${env:NAME}}, {@code ${file:/path}} or {@code ${secret:NAME}}.
     *
     * @return empty when {@code text} is not exactly one reference
     * @throws IllegalArgumentException when the reference's name is malformed (the message holds no value)
     */
    public static Optional<SecretRef> parse(String text) {
        Matcher m = REF.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        Kind kind = switch (m.group(1)) {
            case "env" -> Kind.ENV;
            case "file" -> Kind.FILE;
            default -> Kind.SECRET;
        };
        return Optional.of(new SecretRef(kind, m.group(2)));
    }

    /** The reference as written in YAML, e.g. {@code ${env:GA4_API_SECRET}}. */
    public String asYaml() {
        String prefix = switch (kind) {
            case ENV -> "env";
            case FILE -> "file";
            case SECRET -> "secret";
        };
        return "${" + prefix + ":" + name + "}";
    }

    @Override
    public String toString() {
        return asYaml();
    }
}

package dev.veil.core.policy;

/**
 * A reference to a secret that lives outside the policy: {@code ${env:NAME}} or {@code ${file:/path}}. The
 * policy only ever holds the reference; export writes the reference back, never the value.
 */
public record SecretRef(Kind kind, String name) {

    public enum Kind {
        ENV,
        FILE
    }

    /** The reference as written in YAML, e.g. {@code ${env:GA4_API_SECRET}}. */
    public String asYaml() {
        return "${" + (kind == Kind.ENV ? "env" : "file") + ":" + name + "}";
    }

    @Override
    public String toString() {
        return asYaml();
    }
}

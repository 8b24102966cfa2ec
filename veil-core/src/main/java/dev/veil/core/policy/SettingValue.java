package dev.veil.core.policy;

/** A connector setting in a policy: a literal value or a reference to a secret. */
public sealed interface SettingValue {

    /** A literal (non-secret) value: a string, number or boolean as written in YAML. */
    record Literal(Object value) implements SettingValue {}

    /** A secret reference. */
    record Secret(SecretRef ref) implements SettingValue {}
}

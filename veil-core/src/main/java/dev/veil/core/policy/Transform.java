package dev.veil.core.policy;

import java.util.Locale;
import java.util.Optional;

/** Value transforms for properties and traits (spec: "Value transforms"). */
public enum Transform {
    PASS,
    MASK,
    ZIP3,
    YEAR,
    AGE90,
    DROP;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Transform> fromYaml(String s) {
        for (Transform t : values()) {
            if (t.yamlName().equals(s)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}

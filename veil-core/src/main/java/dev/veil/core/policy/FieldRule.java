package dev.veil.core.policy;

import org.jspecify.annotations.Nullable;

/**
 * How one allowed property or trait is treated. In YAML either {@code key: pass} or {@code key: {transform:
 * pass, reason: "…"}}; a reason is required to {@code pass} an identifier-named key to a non-BAA destination.
 */
public record FieldRule(Transform transform, @Nullable String reason) {
    public static FieldRule of(Transform t) {
        return new FieldRule(t, null);
    }
}

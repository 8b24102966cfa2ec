package dev.veil.store.audit;

import java.util.Objects;

/**
 * What a caller asks the audit log to record. Every field is an id, a name or a PHI-free description: never an
 * event value, a secret or a password.
 *
 * @param actor who: {@code user:alice}, {@code token:deploy-bot}, {@code cli:root}, {@code system}
 * @param action what, dotted: {@code auth.login}, {@code policy.publish}, {@code source.rotate_key}, ...
 * @param target on what: {@code policy:draft/3}, {@code destination:ga4}, {@code user:bob}, or empty
 * @param outcome {@code success}, {@code failure} or {@code denied}
 * @param detail a JSON object (before/after, reasons), {@code {}} when there is nothing more to say
 */
public record AuditRecord(String actor, String action, String target, String outcome, String detail) {

    public AuditRecord {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        if (actor.isBlank() || action.isBlank()) {
            throw new IllegalArgumentException("audit record: actor and action must not be blank");
        }
    }

    /** A successful action with no detail. */
    public static AuditRecord success(String actor, String action, String target) {
        return new AuditRecord(actor, action, target, "success", "{}");
    }
}

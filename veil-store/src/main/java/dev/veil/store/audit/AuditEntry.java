package dev.veil.store.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored link of the audit chain.
 *
 * @param seq 1, 2, ... without gaps
 * @param at when it was appended (millisecond precision)
 * @param actor see {@link AuditRecord}
 * @param action see {@link AuditRecord}
 * @param target see {@link AuditRecord}
 * @param outcome see {@link AuditRecord}
 * @param detail see {@link AuditRecord}
 * @param prevHash hex SHA-256 of the previous entry ({@link AuditChain#GENESIS} for the first)
 * @param hash hex SHA-256 of this entry's fields and {@code prevHash}
 */
public record AuditEntry(
        long seq,
        Instant at,
        String actor,
        String action,
        String target,
        String outcome,
        String detail,
        String prevHash,
        String hash) {

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
    }
}

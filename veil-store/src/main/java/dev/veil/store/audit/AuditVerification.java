package dev.veil.store.audit;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The result of walking the audit chain.
 *
 * @param entries how many entries were read
 * @param headSeq the newest entry's sequence number (0 when empty)
 * @param headHash the newest entry's hash ({@link AuditChain#GENESIS} when empty)
 * @param brokenAt the sequence number (or position) where the chain first breaks; null when intact
 * @param problem what is wrong there, in words; null when intact
 */
public record AuditVerification(
        long entries,
        long headSeq,
        String headHash,
        @Nullable Long brokenAt,
        @Nullable String problem) {

    /** Whether the chain and its anchor are intact. */
    public boolean intact() {
        return problem == null;
    }

    public Optional<String> describe() {
        return Optional.ofNullable(problem).map(p -> "entry " + brokenAt + ": " + p);
    }
}

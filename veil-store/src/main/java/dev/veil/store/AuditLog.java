package dev.veil.store;

import dev.veil.store.audit.AuditEntry;
import dev.veil.store.audit.AuditRecord;
import dev.veil.store.audit.AuditVerification;
import java.util.List;

/**
 * The append-only, hash-chained audit log of the admin side: who did what, when, with what result. Each entry
 * stores the SHA-256 of the previous one ({@link dev.veil.store.audit.AuditChain}), and the backend keeps a
 * MAC-protected anchor of the newest entry, so an edited, deleted, inserted, reordered or truncated entry is
 * found by {@link #verify()}.
 *
 * <p>Thread-safe. {@link #append} is durable when it returns and is serialized across processes (a CLI and a
 * server may append to the same log). Entries never hold PHI or secrets: callers pass ids and descriptions.
 */
public interface AuditLog {

    /** Appends {@code record} as the next entry of the chain and returns it. */
    AuditEntry append(AuditRecord record);

    /** Entries with {@code seq > afterSeq}, oldest first, at most {@code max}. */
    List<AuditEntry> read(long afterSeq, int max);

    /** The newest entries first, at most {@code max}, optionally only those whose action starts with a prefix. */
    List<AuditEntry> latest(int max, String actionPrefix);

    /** Walks the whole chain and the anchor; names the first place where it breaks. */
    AuditVerification verify();
}

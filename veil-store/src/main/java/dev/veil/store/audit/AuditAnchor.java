package dev.veil.store.audit;

import java.util.Objects;

/**
 * The chain's head as last written by the log itself: newest sequence number and hash, with an HMAC under a key
 * derived from the master key. Someone who can write the store but does not hold the master key cannot move
 * it, so cutting entries off the end (truncation) no longer leaves a valid-looking chain.
 *
 * @param seq newest entry's sequence number
 * @param hash newest entry's hash
 * @param mac hex HMAC-SHA-256 over seq and hash
 */
public record AuditAnchor(long seq, String hash, String mac) {
    public AuditAnchor {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(mac, "mac");
    }
}

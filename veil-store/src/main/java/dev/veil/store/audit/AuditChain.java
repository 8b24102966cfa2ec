package dev.veil.store.audit;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.veil.core.crypto.Hkdf;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The audit log's hash chain, the same for every backend: an entry's hash is SHA-256 over its length-prefixed
 * fields and the previous entry's hash; the anchor is an HMAC-SHA-256 over the head's sequence number and hash,
 * keyed from the master key ({@code HKDF info = "veil/audit-anchor"}).
 *
 * <p>What the chain finds: an edited entry (its hash no longer matches), a deleted or inserted one (a gap in
 * the sequence, or a {@code prevHash} that is not the hash before it), a reordered pair (both), a truncated
 * tail (the anchor names a later entry than the last one), and a rewritten tail with recomputed hashes (the
 * head no longer matches the anchor, which cannot be recomputed without the master key). Thread-safe.
 */
public final class AuditChain {

    /** The {@code prevHash} of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private final byte[] anchorKey;

    private AuditChain(byte[] anchorKey) {
        this.anchorKey = anchorKey;
    }

    /** A chain whose anchor key is derived from {@code masterKey} (the bytes are not kept). */
    public static AuditChain forMasterKey(byte[] masterKey) {
        return new AuditChain(Hkdf.derive(masterKey, "veil/audit-anchor", 32));
    }

    /** The entry that follows {@code previous} (null for the first) with {@code record}'s content. */
    public AuditEntry next(@Nullable AuditEntry previous, AuditRecord record, Instant at) {
        long seq = previous == null ? 1 : previous.seq() + 1;
        String prevHash = previous == null ? GENESIS : previous.hash();
        Instant millis = Instant.ofEpochMilli(at.toEpochMilli());
        String hash = hash(
                seq,
                millis,
                record.actor(),
                record.action(),
                record.target(),
                record.outcome(),
                record.detail(),
                prevHash);
        return new AuditEntry(
                seq,
                millis,
                record.actor(),
                record.action(),
                record.target(),
                record.outcome(),
                record.detail(),
                prevHash,
                hash);
    }

    /** The anchor for {@code head}. */
    public AuditAnchor anchor(AuditEntry head) {
        return new AuditAnchor(head.seq(), head.hash(), mac(head.seq(), head.hash()));
    }

    /** Recomputes {@code e}'s hash from its fields. */
    public static String hashOf(AuditEntry e) {
        return hash(e.seq(), e.at(), e.actor(), e.action(), e.target(), e.outcome(), e.detail(), e.prevHash());
    }

    /**
     * Walks {@code entries} (in the order the store returns them, by sequence number) and checks the anchor.
     * Stops at the first break and names it.
     */
    public AuditVerification verify(Iterator<AuditEntry> entries, Optional<AuditAnchor> anchor) {
        long expected = 1;
        long count = 0;
        String prev = GENESIS;
        @Nullable AuditEntry last = null;
        while (entries.hasNext()) {
            AuditEntry e = entries.next();
            count++;
            if (e.seq() != expected) {
                String what = e.seq() > expected
                        ? "sequence jumps from " + (expected - 1) + " to " + e.seq() + ": entries were deleted"
                        : "sequence number " + e.seq() + " repeats or goes back after " + (expected - 1)
                                + ": an entry was inserted or moved";
                return broken(count, last, e.seq(), what);
            }
            if (!e.prevHash().equals(prev)) {
                return broken(
                        count,
                        last,
                        e.seq(),
                        "its previous-hash does not match entry " + (e.seq() - 1)
                                + ": an entry was inserted, deleted or reordered here");
            }
            if (!hashOf(e).equals(e.hash())) {
                return broken(count, last, e.seq(), "its content does not match its hash: the entry was edited");
            }
            prev = e.hash();
            last = e;
            expected++;
        }
        long headSeq = last == null ? 0 : last.seq();
        if (anchor.isEmpty()) {
            if (last == null) {
                return new AuditVerification(0, 0, GENESIS, null, null);
            }
            return broken(count, last, headSeq, "the log has entries but no anchor: the anchor was removed");
        }
        AuditAnchor a = anchor.get();
        if (!MessageDigest.isEqual(
                a.mac().getBytes(UTF_8), mac(a.seq(), a.hash()).getBytes(UTF_8))) {
            return broken(count, last, a.seq(), "the anchor's MAC is wrong: the anchor was forged or altered");
        }
        if (a.seq() > headSeq) {
            return broken(
                    count,
                    last,
                    headSeq + 1,
                    "the log ends at entry " + headSeq + " but its anchor names entry " + a.seq()
                            + ": entries were cut off the end (truncated)");
        }
        if (a.seq() < headSeq) {
            return broken(
                    count,
                    last,
                    a.seq() + 1,
                    "entries after " + a.seq() + " were not written by the audit log (the anchor ends there)");
        }
        if (!a.hash().equals(last.hash())) {
            return broken(
                    count,
                    last,
                    headSeq,
                    "the newest entry's hash differs from the anchored hash: the chain was rewritten");
        }
        return new AuditVerification(count, headSeq, last.hash(), null, null);
    }

    private static AuditVerification broken(long count, @Nullable AuditEntry lastGood, long at, String problem) {
        return new AuditVerification(
                count,
                lastGood == null ? 0 : lastGood.seq(),
                lastGood == null ? GENESIS : lastGood.hash(),
                at,
                problem);
    }

    private String mac(long seq, String hash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(anchorKey, "HmacSHA256"));
            mac.update(ByteBuffer.allocate(8).putLong(seq).array());
            return HexFormat.of().formatHex(mac.doFinal(hash.getBytes(UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static String hash(
            long seq,
            Instant at,
            String actor,
            String action,
            String target,
            String outcome,
            String detail,
            String prevHash) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(ByteBuffer.allocate(16)
                    .putLong(seq)
                    .putLong(at.toEpochMilli())
                    .array());
            for (String field : new String[] {actor, action, target, outcome, detail, prevHash}) {
                byte[] b = field.getBytes(UTF_8);
                // Length prefixes keep field boundaries unambiguous ("ab"+"c" differs from "a"+"bc").
                d.update(ByteBuffer.allocate(4).putInt(b.length).array());
                d.update(b);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "AuditChain[anchorKey=██]";
    }
}

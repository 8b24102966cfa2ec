package dev.veil.store;

import dev.veil.core.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hash that the event log stores instead of a caller's message id: {@code hex(HMAC-SHA-256(K,
 * messageId))} truncated to 32 characters, with {@code K = HKDF-SHA-256(master key, "veil/event-log-ids/v1")}.
 * Thread-safe.
 *
 * <p>Why: message ids are chosen by the caller and can carry PHI ({@code jane@example.org-1741962687440},
 * {@code MRN51293564-1111}). The payload is encrypted, but the id and dedup columns must be readable to
 * deduplicate and to bind each payload (AES-GCM AAD) to its row; a keyed hash serves both without keeping the
 * id. The raw id stays only inside the encrypted payload. 128 bits make a collision between two distinct ids of
 * one source negligible, and without the master key the hash cannot be reversed by guessing.
 */
public final class MessageIdHash {

    private static final String HMAC = "HmacSHA256";
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** Keyed Macs kept for reuse; more than this many idle ones are dropped. */
    private static final int POOLED_MACS = 64;

    private final SecretKeySpec key;
    // A pool, not a ThreadLocal: ingest runs each request on a new virtual thread, so a ThreadLocal would build
    // and key a Mac (provider lookup, key schedule) for every request instead of once.
    private final ConcurrentLinkedQueue<Mac> macs = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    public MessageIdHash(byte[] masterKey) {
        byte[] k = Hkdf.derive(masterKey, "veil/event-log-ids/v1", 32);
        this.key = new SecretKeySpec(k, HMAC);
        Arrays.fill(k, (byte) 0);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("event log: HmacSHA256 unavailable", e);
        }
    }

    /** The stored form of {@code messageId}: 32 lowercase hex characters. */
    public String of(String messageId) {
        Mac mac = macs.poll();
        if (mac == null) {
            mac = newMac();
        } else {
            pooled.decrementAndGet();
        }
        byte[] digest = mac.doFinal(messageId.getBytes(StandardCharsets.UTF_8)); // doFinal resets the Mac
        if (pooled.incrementAndGet() <= POOLED_MACS) {
            macs.offer(mac);
        } else {
            pooled.decrementAndGet();
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 16; i++) {
            out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return new String(out, StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "MessageIdHash[██]";
    }
}

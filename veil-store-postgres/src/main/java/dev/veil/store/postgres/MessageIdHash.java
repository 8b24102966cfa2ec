package dev.veil.store.postgres;

import dev.veil.core.crypto.Hkdf;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hash stored instead of a caller's message id, the same function as the SQLite backend's: {@code
 * hex(HMAC-SHA-256(K, messageId))} truncated to 32 characters with {@code K = HKDF-SHA-256(master key,
 * "veil/event-log-ids/v1")}, so a row means the same in both backends. Message ids are chosen by callers and can
 * carry PHI; the raw id lives only inside the encrypted payload. Thread-safe.
 */
final class MessageIdHash {

    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    MessageIdHash(byte[] masterKey) {
        byte[] k = Hkdf.derive(masterKey, "veil/event-log-ids/v1", 32);
        this.key = new SecretKeySpec(k, HMAC);
        Arrays.fill(k, (byte) 0);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("message id hash: HmacSHA256 unavailable", e);
        }
    }

    /** The stored form of {@code messageId}: 32 lowercase hex characters. */
    String of(String messageId) {
        byte[] digest = macs.get().doFinal(messageId.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}

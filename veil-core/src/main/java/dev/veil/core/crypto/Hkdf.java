package dev.veil.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-SHA-256 (RFC 5869) over the JDK's {@code HmacSHA256}. Stateless and thread-safe. */
public final class Hkdf {

    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LEN = 32;

    private Hkdf() {}

    /** Derives {@code length} bytes from {@code ikm} with an all-zero salt and the UTF-8 {@code info}. */
    public static byte[] derive(byte[] ikm, String info, int length) {
        return derive(new byte[HASH_LEN], ikm, info.getBytes(StandardCharsets.UTF_8), length);
    }

    /** RFC 5869 extract-then-expand. */
    public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
        if (length <= 0 || length > 255 * HASH_LEN) {
            throw new IllegalArgumentException("HKDF output length must be 1.." + (255 * HASH_LEN) + ", was " + length);
        }
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(salt.length == 0 ? new byte[HASH_LEN] : salt, HMAC));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, HMAC));
            byte[] out = new byte[length];
            byte[] block = new byte[0];
            int done = 0;
            for (int i = 1; done < length; i++) {
                mac.update(block);
                mac.update(info);
                mac.update((byte) i);
                block = mac.doFinal();
                int n = Math.min(block.length, length - done);
                System.arraycopy(block, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}

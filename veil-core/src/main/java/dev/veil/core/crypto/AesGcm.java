package dev.veil.core.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM authenticated encryption with a random 96-bit nonce per message and caller-supplied associated
 * data. Immutable and thread-safe (a {@link Cipher} is created per call).
 *
 * <p>Sealed format: {@code version(1) || nonce(12) || ciphertext || tag(16)}. The version byte lets a later
 * format coexist with data already on disk. Random nonces are safe for far more messages per key than Veil
 * writes (NIST SP 800-38D bounds random-nonce use at 2^32 messages per key); keys are per purpose, derived
 * from the master key with {@link Hkdf}.
 */
public final class AesGcm {

    private static final byte FORMAT_V1 = 1;
    private static final int KEY_LEN = 32;
    private static final int NONCE_LEN = 12;
    private static final int TAG_BITS = 128;
    private static final int OVERHEAD = 1 + NONCE_LEN + TAG_BITS / 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private AesGcm(byte[] key) {
        if (key.length != KEY_LEN) {
            throw new IllegalArgumentException("AES-256-GCM key must be 32 bytes, was " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** A cipher keyed with {@code Hkdf.derive(masterKey, "veil/<purpose>/v1", 32)}. */
    public static AesGcm forPurpose(byte[] masterKey, String purpose) {
        if (purpose.isBlank() || purpose.contains("/")) {
            throw new IllegalArgumentException("AES-GCM key purpose must be a non-blank word without '/'");
        }
        byte[] derived = Hkdf.derive(masterKey, "veil/" + purpose + "/v1", KEY_LEN);
        try {
            return new AesGcm(derived);
        } finally {
            Arrays.fill(derived, (byte) 0);
        }
    }

    /** A cipher with an explicit 32-byte key (tests, or keys that are not derived from the master key). */
    public static AesGcm withKey(byte[] key) {
        return new AesGcm(key.clone());
    }

    /** Encrypts and authenticates {@code plaintext}, binding {@code aad} (which is not stored). */
    public byte[] seal(byte[] plaintext, byte[] aad) {
        byte[] nonce = new byte[NONCE_LEN];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            ByteBuffer out = ByteBuffer.allocate(1 + NONCE_LEN + cipher.getOutputSize(plaintext.length));
            out.put(FORMAT_V1).put(nonce);
            cipher.doFinal(ByteBuffer.wrap(plaintext), out);
            return out.array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM seal failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Decrypts what {@link #seal} produced with the same key and associated data.
     *
     * @throws OpenFailedException if the data was tampered with, the key is wrong, or the aad differs
     */
    public byte[] open(byte[] sealed, byte[] aad) {
        if (sealed.length < OVERHEAD) {
            throw new OpenFailedException("sealed data is " + sealed.length + " bytes; the minimum is " + OVERHEAD);
        }
        if (sealed[0] != FORMAT_V1) {
            throw new OpenFailedException("unknown sealed format version " + sealed[0]);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_LEN));
            cipher.updateAAD(aad);
            return cipher.doFinal(sealed, 1 + NONCE_LEN, sealed.length - 1 - NONCE_LEN);
        } catch (AEADBadTagException e) {
            throw new OpenFailedException("authentication failed (wrong key, wrong associated data or tampered data)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM open failed: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public String toString() {
        return "AesGcm[key=██]";
    }

    /** Sealed data could not be authenticated: wrong key, wrong associated data, or tampering. */
    public static final class OpenFailedException extends RuntimeException {
        OpenFailedException(String message) {
            super(message);
        }
    }
}

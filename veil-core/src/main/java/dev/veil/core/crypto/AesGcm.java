package dev.veil.core.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM authenticated encryption with a unique 96-bit nonce per message and caller-supplied associated
 * data. Thread-safe.
 *
 * <p>Sealed format: {@code version(1) || nonce(12) || ciphertext || tag(16)}. The version byte lets a later
 * format coexist with data already on disk. Keys are per purpose, derived from the master key with
 * {@link Hkdf}.
 *
 * <p>Nonces: GCM needs a nonce never used twice under one key. Each nonce is {@code prefix(8) || counter(4)}:
 * the 64-bit prefix is drawn from {@link SecureRandom} when the instance is created and again every 2^32
 * nonces, the counter counts within that block. Within a block nonces are distinct by construction; two blocks
 * (of this process, or of any earlier or later process using the same key) collide only if their random
 * prefixes are equal, which for B blocks has probability about B^2 / 2^65 - for a million restarts of a server
 * (or 2^52 messages) about 2^-25, far below the 2^-32 that NIST SP 800-38D asks of random 96-bit nonces at their
 * 2^32-message limit. This costs one counter increment per message instead of a call into the locked system
 * random source. The nonce needs uniqueness, not secrecy (it is stored in clear).
 *
 * <p>{@link Cipher} instances are expensive to obtain (provider lookup, key schedule), so initialized ones are
 * kept in a small pool and re-initialized with each message's nonce; {@code init} with the same key reuses the
 * expanded key.
 */
public final class AesGcm {

    private static final byte FORMAT_V1 = 1;
    private static final int KEY_LEN = 32;
    private static final int NONCE_LEN = 12;
    private static final int TAG_BITS = 128;
    private static final int OVERHEAD = 1 + NONCE_LEN + TAG_BITS / 8;
    private static final int POOLED_CIPHERS = 64;
    private static final long BLOCK = 1L << 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final ConcurrentLinkedQueue<Cipher> ciphers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();
    private final Object nonceLock = new Object();
    // Guarded by nonceLock: the current block's random prefix and how many nonces it has handed out.
    private long noncePrefix;
    private long nonceCount;
    private final long block;

    private AesGcm(byte[] key) {
        this(key, BLOCK);
    }

    /** With nonce blocks of {@code block} messages (tests use small blocks to see the prefix change). */
    AesGcm(byte[] key, long block) {
        if (key.length != KEY_LEN) {
            throw new IllegalArgumentException("AES-256-GCM key must be 32 bytes, was " + key.length);
        }
        if (block < 1 || block > BLOCK) {
            throw new IllegalArgumentException("nonce block must be 1 .. 2^32, was " + block);
        }
        this.key = new SecretKeySpec(key, "AES");
        this.block = block;
        this.nonceCount = block;
    }

    /** Writes the next nonce into {@code out[at .. at+12)}. */
    void nextNonce(byte[] out, int at) {
        long prefix;
        long count;
        synchronized (nonceLock) {
            if (nonceCount == block) {
                noncePrefix = RANDOM.nextLong();
                nonceCount = 0;
            }
            prefix = noncePrefix;
            count = nonceCount++;
        }
        ByteBuffer.wrap(out, at, NONCE_LEN).putLong(prefix).putInt((int) count);
    }

    private Cipher cipher() throws GeneralSecurityException {
        Cipher c = ciphers.poll();
        if (c != null) {
            pooled.decrementAndGet();
            return c;
        }
        return Cipher.getInstance("AES/GCM/NoPadding");
    }

    private void release(Cipher c) {
        if (pooled.incrementAndGet() <= POOLED_CIPHERS) {
            ciphers.offer(c);
        } else {
            pooled.decrementAndGet();
        }
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
        byte[] out = new byte[OVERHEAD + plaintext.length];
        out[0] = FORMAT_V1;
        nextNonce(out, 1);
        try {
            Cipher cipher = cipher();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, out, 1, NONCE_LEN));
            cipher.updateAAD(aad);
            int written = cipher.doFinal(plaintext, 0, plaintext.length, out, 1 + NONCE_LEN);
            release(cipher); // only after success: a cipher left mid-operation is dropped
            if (written != out.length - 1 - NONCE_LEN) {
                throw new IllegalStateException(
                        "AES-GCM seal wrote " + written + " bytes, expected " + (out.length - 1 - NONCE_LEN));
            }
            return out;
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
            Cipher cipher = cipher();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_LEN));
            cipher.updateAAD(aad);
            byte[] plain = cipher.doFinal(sealed, 1 + NONCE_LEN, sealed.length - 1 - NONCE_LEN);
            release(cipher);
            return plain;
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

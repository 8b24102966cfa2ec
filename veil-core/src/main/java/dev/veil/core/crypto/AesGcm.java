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
 * <p>Nonces: GCM needs a nonce never used twice under one key. Each nonce is {@code prefix(8) || counter(4)}.
 * At the first seal, and again after every 2^32 nonces, a block starts: a 64-bit prefix and a 32-bit counter
 * start are drawn from {@link SecureRandom}, and the counter then counts up (mod 2^32). Within a block nonces
 * are distinct by construction. Two blocks (of this process, or of any other process that uses the same key)
 * can only collide if their prefixes are equal (2^-64 per pair) and their counter ranges overlap (about
 * (n1 + n2) / 2^32 for blocks of n1 and n2 nonces); for B blocks of n nonces that is below B^2 * n / 2^96,
 * against (B * n)^2 / 2^97 for fully random nonces (which NIST SP 800-38D caps at 2^32 per key). So this is
 * never weaker than random nonces once a block holds more than two messages, and it costs a counter increment
 * under a short lock instead of a call into the locked system random source per message. The nonce needs
 * uniqueness, not secrecy (it is stored in clear).
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
    // Guarded by nonceLock: the current block's random prefix and counter start, and nonces handed out in it.
    private long noncePrefix;
    private int nonceStart;
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
        int counter;
        synchronized (nonceLock) {
            if (nonceCount == block) {
                noncePrefix = RANDOM.nextLong();
                nonceStart = RANDOM.nextInt();
                nonceCount = 0;
            }
            prefix = noncePrefix;
            counter = nonceStart + (int) nonceCount++; // wraps mod 2^32; a block never exceeds 2^32 nonces
        }
        ByteBuffer.wrap(out, at, NONCE_LEN).putLong(prefix).putInt(counter);
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

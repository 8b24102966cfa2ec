package dev.veil.admin.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Argon2id password hashing with Password4j (PHC string format, so the parameters travel with each hash and
 * can be raised later without breaking old ones). Thread-safe.
 *
 * @param memoryKib memory cost in KiB (OWASP's minimum for Argon2id is 19 MiB with 2 iterations)
 * @param iterations time cost
 * @param parallelism lanes
 */
public record Passwords(int memoryKib, int iterations, int parallelism) {

    /** OWASP Password Storage Cheat Sheet's first Argon2id configuration: m=19 MiB, t=2, p=1. */
    public static final Passwords DEFAULT = new Passwords(19 * 1024, 2, 1);

    /** Shortest password accepted (NIST SP 800-63B asks for at least 8; we ask for more). */
    public static final int MIN_LENGTH = 12;

    /** Longest password accepted (Argon2 takes any length; this bounds the work per request). */
    public static final int MAX_LENGTH = 256;

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    /** The encoded hash of {@code password}. */
    public String hash(String password) {
        return Password.hash(password)
                .addRandomSalt(SALT_BYTES)
                .with(Argon2Function.getInstance(memoryKib, iterations, parallelism, HASH_BYTES, Argon2.ID))
                .getResult();
    }

    /**
     * An encoded hash with these parameters that no password matches: a random salt and random hash bytes in the
     * same PHC form as {@link #hash}. Checking a password against it costs exactly what checking against a real
     * hash costs (the parameters are read from the string), so a login for an unknown user takes as long as one
     * for a known user; but making it costs nothing, where hashing a random password at start-up took a noticeable
     * part of {@code veil serve}'s start (docs/performance.md, "Start to ready").
     */
    public String unmatchable() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] salt = new byte[SALT_BYTES];
        byte[] hash = new byte[HASH_BYTES];
        random.nextBytes(salt);
        random.nextBytes(hash);
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code encoded} (with the parameters stored in it). */
    public boolean matches(String password, String encoded) {
        try {
            return Password.check(password, encoded).with(Argon2Function.getInstanceFromHash(encoded));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A problem with a proposed password, or null when it is acceptable. */
    public static @org.jspecify.annotations.Nullable String problem(String password, String username) {
        if (password.length() < MIN_LENGTH) {
            return "password is " + password.length() + " characters; at least " + MIN_LENGTH + " are required";
        }
        if (password.length() > MAX_LENGTH) {
            return "password is longer than " + MAX_LENGTH + " characters";
        }
        if (password.equalsIgnoreCase(username)) {
            return "password must not be the user name";
        }
        return null;
    }
}

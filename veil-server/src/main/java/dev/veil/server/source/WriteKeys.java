package dev.veil.server.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Generates write keys and hashes them for lookup, so plain keys are never kept in memory maps or on disk. */
public final class WriteKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private WriteKeys() {}

    /**
     * A new random write key: 32 hex characters (128 bits), safe to paste anywhere (never starts with a dash
     * that a shell tool would read as an option).
     */
    public static String generate() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Hex SHA-256 of the key: the form registries keep and compare. */
    public static String hash(String writeKey) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(writeKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}

package dev.veil.destinations.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Digests used to fit Veil's ids into vendors' id formats. */
public final class Hashing {

    private static final Pattern INSERT_ID = Pattern.compile("[A-Za-z0-9-]{1,36}");

    private Hashing() {}

    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value));
    }

    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /**
     * A dedup id of at most 36 characters from {@code [A-Za-z0-9-]} (Mixpanel's {@code $insert_id} rule): the
     * message id itself when it already fits, else the first 32 hex digits of its SHA-256. Deterministic, so
     * retries carry the same id.
     */
    public static String compactId(String messageId) {
        if (INSERT_ID.matcher(messageId).matches()) {
            return messageId;
        }
        return sha256Hex(messageId).substring(0, 32);
    }
}

package dev.veil.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One build of the browser SDK read from the class path, with the content hash that versions its URL.
 *
 * <p>Immutable and thread-safe. The bytes are defensively copied on the way out.
 */
public final class SdkAsset {

    /** Class-path location of the minified SDK, written by the module's build (build.mjs). */
    public static final String MINIFIED = "dev/veil/sdk/veil.min.js";

    /** Class-path location of the unminified source, shipped for debugging. */
    public static final String SOURCE = "dev/veil/sdk/veil.js";

    private static final int HASH_CHARS = 12;

    private final byte[] bytes;
    private final String hash;

    private SdkAsset(byte[] bytes) {
        this.bytes = bytes;
        this.hash = sha256Hex(bytes).substring(0, HASH_CHARS);
    }

    /** The minified SDK, as served to browsers. */
    public static SdkAsset minified() {
        return load(MINIFIED);
    }

    /** The readable source of the same build, for debugging. */
    public static SdkAsset source() {
        return load(SOURCE);
    }

    static SdkAsset load(String resource) {
        try (InputStream in = SdkAsset.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("load SDK asset: class-path resource " + resource
                        + " is missing (build veil-sdk-js with Maven: its build writes it)");
            }
            return new SdkAsset(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("load SDK asset: reading " + resource + " failed", e);
        }
    }

    /** A copy of the script's bytes (UTF-8 JavaScript). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Size of the script in bytes. */
    public int size() {
        return bytes.length;
    }

    /** First 12 hex digits of the SHA-256 of the bytes: changes whenever the script changes. */
    public String hash() {
        return hash;
    }

    /**
     * File name that carries the hash, e.g. {@code p-3f2a9c01b7de.js}: safe to cache forever, and neutral so
     * that blocklists keyed on names like "analytics.js" do not match.
     */
    public String versionedFileName(String prefix) {
        return prefix + "-" + hash + ".js";
    }

    private static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}

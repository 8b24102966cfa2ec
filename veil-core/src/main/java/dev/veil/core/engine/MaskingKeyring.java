package dev.veil.core.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The versions of a workspace's masking secret, each with the time it became active. Immutable and thread-safe.
 *
 * <p>The version used for an event is the newest one activated at or before the event's {@code receivedAt}, so a
 * rotation applies to new events only and replays of old events keep their masked ids. {@link #toString()} never
 * prints a secret.
 */
public final class MaskingKeyring {

    /**
     * One version of the secret.
     *
     * @param version the version number used in the HKDF info ({@code veil/mask/v{version}/{destinationId}})
     * @param activatedAt from when the version applies
     * @param secret the secret (at least 16 bytes; 32 random bytes in production); copied in and out
     */
    public record KeyVersion(int version, Instant activatedAt, byte[] secret) {
        public KeyVersion {
            if (version < 1) {
                throw new IllegalArgumentException("masking key version must be >= 1, was " + version);
            }
            if (secret.length < 16) {
                throw new IllegalArgumentException(
                        "masking key v" + version + ": secret needs at least 16 bytes, has " + secret.length);
            }
            secret = secret.clone();
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KeyVersion k
                    && k.version == version
                    && k.activatedAt.equals(activatedAt)
                    && java.security.MessageDigest.isEqual(k.secret, secret);
        }

        @Override
        public int hashCode() {
            return Integer.hashCode(version) * 31 + activatedAt.hashCode();
        }

        @Override
        public String toString() {
            return "KeyVersion[v" + version + ", activatedAt=" + activatedAt + ", secret=██]";
        }
    }

    private final List<KeyVersion> versions; // sorted by activatedAt ascending

    private MaskingKeyring(List<KeyVersion> versions) {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("masking keyring needs at least one key version");
        }
        List<KeyVersion> sorted = new ArrayList<>(versions);
        sorted.sort(Comparator.comparing(KeyVersion::activatedAt).thenComparingInt(KeyVersion::version));
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + 1; j < sorted.size(); j++) {
                if (sorted.get(i).version() == sorted.get(j).version()) {
                    throw new IllegalArgumentException("masking keyring: duplicate key version "
                            + sorted.get(i).version());
                }
            }
        }
        this.versions = List.copyOf(sorted);
    }

    /** A keyring of the given versions (any order). */
    public static MaskingKeyring of(List<KeyVersion> versions) {
        return new MaskingKeyring(versions);
    }

    /** A keyring with a single version 1 active since the epoch. */
    public static MaskingKeyring single(byte[] secret) {
        return new MaskingKeyring(List.of(new KeyVersion(1, Instant.EPOCH, secret)));
    }

    /** A new keyring with {@code next} added (key rotation). */
    public MaskingKeyring with(KeyVersion next) {
        List<KeyVersion> all = new ArrayList<>(versions);
        all.add(next);
        return new MaskingKeyring(all);
    }

    /** All versions, oldest activation first. */
    public List<KeyVersion> versions() {
        return versions;
    }

    /**
     * The version for an event received at {@code receivedAt}: the newest activated at or before it, or the oldest
     * version when the event predates every activation (events are never left unmasked).
     */
    public KeyVersion versionAt(Instant receivedAt) {
        KeyVersion chosen = versions.get(0);
        for (KeyVersion k : versions) {
            if (!k.activatedAt().isAfter(receivedAt)) {
                chosen = k;
            } else {
                break;
            }
        }
        return chosen;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("MaskingKeyring[");
        for (int i = 0; i < versions.size(); i++) {
            KeyVersion k = versions.get(i);
            sb.append(i == 0 ? "" : ", ")
                    .append('v')
                    .append(k.version())
                    .append('@')
                    .append(k.activatedAt());
        }
        return sb.append(", secrets=██]").toString();
    }
}

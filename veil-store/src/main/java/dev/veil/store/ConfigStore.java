package dev.veil.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Durable workspace configuration: sources and their write keys, the versioned policy, and the masking secrets.
 * Kept apart from the event log so config writes never contend with event appends.
 *
 * <p>Thread-safe. Every write is durable when the method returns. Write keys are stored only as hashes and
 * masking secrets only encrypted; neither is ever logged.
 */
public interface ConfigStore extends AutoCloseable {

    /** Creates the source or updates its name and allowed origins; the write key is left as it is. */
    Source saveSource(String id, String name, List<String> allowedOrigins);

    /** A source by id. */
    Optional<Source> source(String id);

    /** All sources, by id. */
    List<Source> sources();

    /** Deletes a source (its write key stops working); returns whether it existed. */
    boolean deleteSource(String id);

    /** The source whose write key is {@code writeKey}, if any (compared by SHA-256). */
    Optional<Source> findSourceByWriteKey(String writeKey);

    /**
     * Generates a write key for the source if it has none and returns it; this is the only time the plain key
     * is available (show it once). Returns empty when the source already has a key.
     *
     * @throws StoreException if the source does not exist
     */
    Optional<String> ensureGeneratedWriteKey(String sourceId);

    /** Replaces the source's write key with a new random one and returns it (shown once); the old key stops. */
    String rotateWriteKey(String sourceId);

    /** Sets the source's write key to an operator-supplied key (e.g. from {@code ${env:...}} in the policy). */
    void setWriteKey(String sourceId, String writeKey);

    /** Stores a new policy version (numbered 1, 2, ...) and returns it. */
    PolicyVersion savePolicy(String yaml, String author, String comment);

    /** The newest policy version, empty before the first save. */
    Optional<PolicyVersion> latestPolicy();

    /** One policy version. */
    Optional<PolicyVersion> policy(int version);

    /** All policy versions, newest first. */
    List<PolicyVersion> policyHistory();

    /**
     * The masking secrets, oldest version first, decrypted for the privacy engine. On first use version 1 is
     * generated (32 bytes from {@code SecureRandom}); the list is therefore never empty.
     */
    List<MaskingSecret> maskingSecrets();

    /** Adds masking secret version n+1, active for events received from now on, and returns it. */
    MaskingSecret rotateMaskingSecret();

    @Override
    void close();

    /**
     * A source of events.
     *
     * @param id stable id (also in the policy)
     * @param name display name
     * @param allowedOrigins browser origins allowed to send with this source's key (CORS)
     * @param hasWriteKey whether a write key is set (the key itself is never readable)
     * @param createdAt when it was created
     * @param updatedAt when name, origins or key last changed
     */
    record Source(
            String id,
            String name,
            List<String> allowedOrigins,
            boolean hasWriteKey,
            Instant createdAt,
            Instant updatedAt) {
        public Source {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            allowedOrigins = List.copyOf(allowedOrigins);
        }
    }

    /**
     * One saved policy.
     *
     * @param version 1, 2, ... in save order
     * @param yaml the policy text as saved
     * @param author who saved it (admin user id or {@code cli})
     * @param createdAt when it was saved
     * @param comment the author's note, possibly empty
     */
    record PolicyVersion(int version, String yaml, String author, Instant createdAt, String comment) {
        public PolicyVersion {
            Objects.requireNonNull(yaml, "yaml");
            Objects.requireNonNull(author, "author");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(comment, "comment");
        }
    }

    /**
     * A version of the workspace masking secret (the HKDF input for per-destination masking keys).
     *
     * @param version key version ({@code veil/mask/v{version}/...})
     * @param secret the 32 secret bytes (copied in and out; never printed)
     * @param activatedAt events received at or after this instant use this version (until a newer one)
     */
    record MaskingSecret(int version, byte[] secret, Instant activatedAt) {
        public MaskingSecret {
            Objects.requireNonNull(activatedAt, "activatedAt");
            if (version < 1) {
                throw new IllegalArgumentException("masking secret version must be >= 1, was " + version);
            }
            if (secret.length != 32) {
                throw new IllegalArgumentException("masking secret must be 32 bytes, was " + secret.length);
            }
            secret = secret.clone();
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }

        @Override
        public boolean equals(@Nullable Object o) {
            return o instanceof MaskingSecret m
                    && m.version == version
                    && Arrays.equals(m.secret, secret)
                    && m.activatedAt.equals(activatedAt);
        }

        @Override
        public int hashCode() {
            return Objects.hash(version, Arrays.hashCode(secret), activatedAt);
        }

        @Override
        public String toString() {
            return "MaskingSecret[version=" + version + ", secret=██, activatedAt=" + activatedAt + "]";
        }
    }
}

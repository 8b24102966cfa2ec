package dev.veil.server.source;

import dev.veil.store.ConfigStore;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage of write keys that Veil generated (for policy sources without a {@code writeKey} reference):
 * only hashes are stored, and the plain key is available once, when generated. Thread-safe.
 */
public interface GeneratedKeyStore {

    /**
     * Records the source and generates its key if it has none; returns the plain key only when it was generated
     * by this call (show it once), empty otherwise.
     */
    Optional<String> ensureKey(String sourceId, String name, List<String> allowedOrigins);

    /** The id of the source whose generated key is {@code writeKey}, if any. */
    Optional<String> sourceIdFor(String writeKey);

    /** Generated keys kept in a config store (the source is saved, then given a key if it has none). */
    static GeneratedKeyStore in(ConfigStore config) {
        return new GeneratedKeyStore() {
            @Override
            public Optional<String> ensureKey(String sourceId, String name, List<String> allowedOrigins) {
                config.saveSource(sourceId, name, allowedOrigins);
                return config.ensureGeneratedWriteKey(sourceId);
            }

            @Override
            public Optional<String> sourceIdFor(String writeKey) {
                return config.findSourceByWriteKey(writeKey).map(ConfigStore.Source::id);
            }
        };
    }
}

package dev.veil.server.source;

import dev.veil.store.ConfigStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configured sources (policy file or demo) plus the sources created through the admin API, which live in the
 * config store. Store lookups are cached by key hash; the admin API calls {@link #invalidate()} on every source
 * change, so a rotated or deleted key stops at once. Thread-safe.
 */
public final class StoredSourceRegistry implements SourceRegistry {

    private final SourceRegistry configured;
    private final ConfigStore config;
    private final Map<String, Optional<Source>> cache = new ConcurrentHashMap<>();
    private volatile List<Source> stored;

    public StoredSourceRegistry(SourceRegistry configured, ConfigStore config) {
        this.configured = configured;
        this.config = config;
        this.stored = load();
    }

    /** Forgets cached lookups (a source was created, changed, rotated or deleted). */
    public void invalidate() {
        cache.clear();
        stored = load();
    }

    private List<Source> load() {
        return config.sources().stream()
                .map(s -> new Source(s.id(), s.name(), s.allowedOrigins()))
                .toList();
    }

    @Override
    public Optional<Source> byWriteKey(String writeKey) {
        Optional<Source> s = configured.byWriteKey(writeKey);
        if (s.isPresent()) {
            return s;
        }
        String hash = WriteKeys.hash(writeKey);
        Optional<Source> cached = cache.get(hash);
        if (cached != null) {
            return cached;
        }
        Optional<Source> found =
                config.findSourceByWriteKey(writeKey).map(c -> new Source(c.id(), c.name(), c.allowedOrigins()));
        if (cache.size() > 10_000) {
            cache.clear();
        }
        cache.put(hash, found);
        return found;
    }

    @Override
    public List<Source> sources() {
        Map<String, Source> all = new LinkedHashMap<>();
        stored.forEach(s -> all.put(s.id(), s));
        configured.sources().forEach(s -> all.put(s.id(), s));
        List<Source> out = new ArrayList<>(all.values());
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return out;
    }
}

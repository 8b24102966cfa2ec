package dev.veil.server.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory {@link SourceRegistry} keyed by the SHA-256 of each write key (the plain key is not kept).
 * Thread-safe; sources may be added while the server runs.
 */
public final class StaticSourceRegistry implements SourceRegistry {

    private final Map<String, Source> byKeyHash = new ConcurrentHashMap<>();
    private final Map<String, Source> byId = new ConcurrentHashMap<>();

    /** Registers {@code source} with its plain {@code writeKey}; a source may have several keys. */
    public StaticSourceRegistry add(Source source, String writeKey) {
        if (writeKey.isBlank()) {
            throw new IllegalArgumentException("source " + source.id() + ": write key is empty");
        }
        byKeyHash.put(WriteKeys.hash(writeKey), source);
        byId.put(source.id(), source);
        return this;
    }

    @Override
    public Optional<Source> byWriteKey(String writeKey) {
        return Optional.ofNullable(byKeyHash.get(WriteKeys.hash(writeKey)));
    }

    @Override
    public List<Source> sources() {
        List<Source> all = new ArrayList<>(byId.values());
        all.sort((a, b) -> a.id().compareTo(b.id()));
        return all;
    }
}

package dev.veil.server.source;

import dev.veil.core.policy.SourceSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The sources of the policy file: keys given by {@code ${env:…}}/{@code ${file:…}} are resolved at start and
 * kept hashed in memory; keys Veil generated live (hashed) in a {@link GeneratedKeyStore}, and a successful
 * lookup is cached by hash so the hot path stays in memory. Thread-safe.
 */
public final class PolicySourceRegistry implements SourceRegistry {

    private final StaticSourceRegistry referenced = new StaticSourceRegistry();
    private final Map<String, Source> byId = new HashMap<>();
    private final GeneratedKeyStore generated;
    private final Map<String, Source> generatedCache = new ConcurrentHashMap<>();

    /**
     * Builds the registry; for every source whose key is generated now, {@code onGenerated} receives the source
     * and the plain key (the only moment it is available: print it once).
     */
    public PolicySourceRegistry(
            List<SourceSpec> specs,
            SecretResolver secrets,
            GeneratedKeyStore generated,
            BiConsumer<Source, String> onGenerated) {
        this.generated = generated;
        for (SourceSpec spec : specs) {
            Source s = new Source(
                    spec.id(), spec.name(), spec.allowedOrigins(), spec.identityCookie(), spec.trustedServer());
            byId.put(s.id(), s);
            if (spec.writeKey() != null) {
                referenced.add(s, secrets.resolve(spec.writeKey(), "policy sources." + spec.id() + ".writeKey"));
            } else {
                generated.ensureKey(s.id(), s.name(), s.allowedOrigins()).ifPresent(k -> onGenerated.accept(s, k));
            }
        }
    }

    @Override
    public Optional<Source> byWriteKey(String writeKey) {
        Optional<Source> s = referenced.byWriteKey(writeKey);
        if (s.isPresent()) {
            return s;
        }
        String hash = WriteKeys.hash(writeKey);
        Source cached = generatedCache.get(hash);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Source> found = generated.sourceIdFor(writeKey).map(byId::get);
        found.ifPresent(src -> generatedCache.put(hash, src));
        return found;
    }

    @Override
    public List<Source> sources() {
        List<Source> all = new ArrayList<>(byId.values());
        all.sort((a, b) -> a.id().compareTo(b.id()));
        return all;
    }
}

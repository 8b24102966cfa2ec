package dev.veil.admin.resources;

import dev.veil.admin.AdminException;
import dev.veil.admin.audit.Audit;
import dev.veil.admin.auth.Principal;
import dev.veil.store.ConfigStore;
import dev.veil.store.ConfigStore.Source;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Sources (senders of events): create, rename, allowed origins, write-key rotation (the key is returned once and
 * stored only hashed), delete, and the install snippet. Changes are audited and reported to
 * {@code onChange} so the ingest side drops its cached lookups at once. Thread-safe.
 */
public final class SourceService {

    /** Placeholder in snippets when the key is not being shown. */
    public static final String KEY_PLACEHOLDER = "YOUR_WRITE_KEY";

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern ORIGIN = Pattern.compile("(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|\\*)");

    private final ConfigStore config;
    private final Audit audit;
    private final InstallSnippet snippets;
    private final Runnable onChange;

    public SourceService(ConfigStore config, Audit audit, InstallSnippet snippets, Runnable onChange) {
        this.config = config;
        this.audit = audit;
        this.snippets = snippets;
        this.onChange = onChange;
    }

    /** A source with its new write key and snippet: the only time the key is available. */
    public record WithKey(Source source, String writeKey, String snippet) {
        @Override
        public String toString() {
            return "WithKey[source=" + source.id() + ", writeKey=██]";
        }
    }

    public List<Source> list() {
        return config.sources();
    }

    public Source get(String id) {
        return config.source(id).orElseThrow(() -> AdminException.notFound("source '" + id + "'"));
    }

    public WithKey create(Principal who, String id, String name, List<String> origins) {
        if (!ID.matcher(id).matches()) {
            throw AdminException.badRequest(
                    "invalid_field",
                    "field 'id': expected 1-64 lower-case letters, digits, '-' or '_', starting with a letter or digit");
        }
        checkOrigins(origins);
        if (config.source(id).isPresent()) {
            throw AdminException.conflict("already_exists", "source '" + id + "' already exists");
        }
        Source s = config.saveSource(id, name, origins);
        String key = config.rotateWriteKey(id);
        audit.success(
                who,
                "source.create",
                "source:" + id,
                Audit.changes(
                        Map.of(),
                        Map.of("name", name, "allowedOrigins", origins, "writeKey", "set"),
                        Set.of("writeKey")));
        onChange.run();
        return new WithKey(get(s.id()), key, snippets.render(id, key));
    }

    public Source update(Principal who, String id, @Nullable String name, @Nullable List<String> origins) {
        Source before = get(id);
        if (origins != null) {
            checkOrigins(origins);
        }
        Source after = config.saveSource(
                id, name != null ? name : before.name(), origins != null ? origins : before.allowedOrigins());
        audit.success(
                who,
                "source.update",
                "source:" + id,
                Audit.changes(
                        Map.of("name", before.name(), "allowedOrigins", before.allowedOrigins()),
                        Map.of("name", after.name(), "allowedOrigins", after.allowedOrigins()),
                        Set.of()));
        onChange.run();
        return after;
    }

    public WithKey rotateKey(Principal who, String id) {
        get(id);
        String key = config.rotateWriteKey(id);
        audit.success(
                who,
                "source.rotate_key",
                "source:" + id,
                Audit.changes(Map.of("writeKey", "old"), Map.of("writeKey", "new"), Set.of("writeKey")));
        onChange.run();
        return new WithKey(get(id), key, snippets.render(id, key));
    }

    public void delete(Principal who, String id) {
        Source before = get(id);
        config.deleteSource(id);
        audit.success(
                who, "source.delete", "source:" + id, Audit.changes(Map.of("name", before.name()), Map.of(), Set.of()));
        onChange.run();
    }

    /** The install snippet with a placeholder instead of the key (which is never readable again). */
    public String snippet(String id) {
        get(id);
        return snippets.render(id, KEY_PLACEHOLDER);
    }

    private static void checkOrigins(List<String> origins) {
        if (origins.size() > 100) {
            throw AdminException.badRequest(
                    "invalid_field", "field 'allowedOrigins': " + origins.size() + " entries; the limit is 100");
        }
        for (int i = 0; i < origins.size(); i++) {
            if (!ORIGIN.matcher(origins.get(i)).matches()) {
                throw AdminException.badRequest(
                        "invalid_field",
                        "field 'allowedOrigins[" + i
                                + "]': not an origin; expected scheme://host[:port] without a path, or *");
            }
        }
    }
}

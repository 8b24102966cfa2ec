package dev.veil.server.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.veil.core.policy.SecretRef;
import dev.veil.core.policy.SourceSpec;
import dev.veil.server.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads only the {@code sources} section of a policy file (spec/policy.md) into {@link SourceSpec}s, so the
 * server can authenticate senders. The full policy (destinations, privacy settings) is the policy parser's job
 * in veil-core; this reader checks just what the ingest API relies on.
 */
public final class PolicySourcesReader {

    private static final Pattern REF = Pattern.compile("\\$\\{(env|file):([^}]+)}");
    private static final Set<String> KEYS = Set.of("id", "name", "writeKey", "allowedOrigins");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PolicySourcesReader() {}

    /** The sources of the policy at {@code file}. */
    public static List<SourceSpec> read(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(
                    "policy " + file + ": cannot read (" + e.getClass().getSimpleName() + ")", e);
        }
        return parse(root, file.toString());
    }

    static List<SourceSpec> parse(JsonNode root, String name) {
        JsonNode sources = root == null ? null : root.get("sources");
        if (sources == null || sources.isNull()) {
            return List.of();
        }
        if (!sources.isArray()) {
            throw new ConfigException("policy " + name + " sources: must be a list");
        }
        List<SourceSpec> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < sources.size(); i++) {
            String p = "policy " + name + " sources[" + i + "]";
            JsonNode s = sources.get(i);
            if (!s.isObject()) {
                throw new ConfigException(p + ": must be a mapping");
            }
            s.fieldNames().forEachRemaining(k -> {
                if (!KEYS.contains(k)) {
                    throw new ConfigException(
                            p + ": unknown key '" + k + "' (known: allowedOrigins, id, name, writeKey)");
                }
            });
            String id = text(s, "id", p, true);
            if (!ids.add(id)) {
                throw new ConfigException(p + ".id: duplicate source id");
            }
            String display = s.has("name") ? text(s, "name", p, true) : id;
            SecretRef ref = null;
            if (s.hasNonNull("writeKey")) {
                Matcher m = REF.matcher(text(s, "writeKey", p, true).trim());
                if (!m.matches()) {
                    throw new ConfigException(p + ".writeKey: must be a reference ${env:NAME} or ${file:/path}, "
                            + "never the key itself (omit it to have Veil generate one)");
                }
                ref = new SecretRef(m.group(1).equals("env") ? SecretRef.Kind.ENV : SecretRef.Kind.FILE, m.group(2));
            }
            List<String> origins = new ArrayList<>();
            JsonNode o = s.get("allowedOrigins");
            if (o != null && !o.isNull()) {
                if (!o.isArray()) {
                    throw new ConfigException(p + ".allowedOrigins: must be a list of origins");
                }
                for (int j = 0; j < o.size(); j++) {
                    if (!o.get(j).isTextual()) {
                        throw new ConfigException(p + ".allowedOrigins[" + j + "]: must be a string");
                    }
                    origins.add(o.get(j).asText());
                }
            }
            out.add(new SourceSpec(id, display, ref, origins));
        }
        return out;
    }

    private static String text(JsonNode s, String field, String p, boolean required) {
        JsonNode v = s.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new ConfigException(
                    p + "." + field + ": " + (required ? "is required (a string)" : "must be a string"));
        }
        return v.asText();
    }
}

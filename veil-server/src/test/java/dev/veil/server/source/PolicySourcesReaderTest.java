package dev.veil.server.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.core.policy.SecretRef;
import dev.veil.core.policy.SourceSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicySourcesReaderTest {

    private static List<SourceSpec> parse(String yaml) {
        return PolicySourcesReader.parse(yaml, "policy.yaml");
    }

    @Test
    void reads_sources_with_references_and_origins() throws Exception {
        List<SourceSpec> s = parse("""
                version: 1
                sources:
                  - id: website
                    name: Patient website
                    writeKey: ${env:WEBSITE_WRITE_KEY}
                    allowedOrigins: ["https://www.example-health.org"]
                  - id: app
                    name: App
                destinations: []
                """);

        assertThat(s).hasSize(2);
        assertThat(s.get(0).writeKey()).isEqualTo(new SecretRef(SecretRef.Kind.ENV, "WEBSITE_WRITE_KEY"));
        assertThat(s.get(0).allowedOrigins()).containsExactly("https://www.example-health.org");
        assertThat(s.get(1).writeKey()).isNull();
    }

    @Test
    void refuses_an_invalid_policy_naming_the_path_and_line() {
        assertThatThrownBy(() -> parse("version: 1\nsources:\n  - id: a\n    origins: []\n"))
                .isInstanceOf(dev.veil.server.config.ConfigException.class)
                .hasMessageContaining("policy policy.yaml is invalid")
                .hasMessageContaining("sources[0].origins")
                .hasMessageContaining("line 4");
    }

    @Test
    void resolves_env_and_file_keys_and_generates_missing_ones_once(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app.key"), "file-key-456\n");
        List<SourceSpec> specs = List.of(
                new SourceSpec("web", "Web", new SecretRef(SecretRef.Kind.ENV, "WEB_KEY"), List.of()),
                new SourceSpec(
                        "app",
                        "App",
                        new SecretRef(
                                SecretRef.Kind.FILE, dir.resolve("app.key").toString()),
                        List.of()),
                new SourceSpec("kiosk", "Kiosk", null, List.of()));
        FakeGeneratedKeys store = new FakeGeneratedKeys();
        List<String> shown = new ArrayList<>();

        PolicySourceRegistry registry = new PolicySourceRegistry(
                specs, new SecretResolver(Map.of("WEB_KEY", "env-key-123"), dir), store, (s, k) -> shown.add(k));

        assertThat(registry.byWriteKey("env-key-123")).map(Source::id).contains("web");
        assertThat(registry.byWriteKey("file-key-456")).map(Source::id).contains("app");
        assertThat(shown).hasSize(1);
        assertThat(registry.byWriteKey(shown.get(0))).map(Source::id).contains("kiosk");
        assertThat(registry.byWriteKey("guess")).isEmpty();
    }

    @Test
    void names_a_missing_environment_variable_without_any_value() {
        SecretResolver r = new SecretResolver(Map.of(), Path.of("."));

        assertThatThrownBy(() -> r.resolve(new SecretRef(SecretRef.Kind.ENV, "NOPE"), "policy sources.web.writeKey"))
                .hasMessage("policy sources.web.writeKey: environment variable NOPE is not set");
    }

    static final class FakeGeneratedKeys implements GeneratedKeyStore {
        private final Map<String, String> hashToSource = new java.util.HashMap<>();

        @Override
        public Optional<String> ensureKey(String sourceId, String name, List<String> allowedOrigins) {
            if (hashToSource.containsValue(sourceId)) {
                return Optional.empty();
            }
            String key = WriteKeys.generate();
            hashToSource.put(WriteKeys.hash(key), sourceId);
            return Optional.of(key);
        }

        @Override
        public Optional<String> sourceIdFor(String writeKey) {
            return Optional.ofNullable(hashToSource.get(WriteKeys.hash(writeKey)));
        }
    }
}

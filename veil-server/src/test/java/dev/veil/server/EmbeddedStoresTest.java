package dev.veil.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.policy.SourceSpec;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.source.PolicySourceRegistry;
import dev.veil.server.source.SecretResolver;
import dev.veil.server.source.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoresTest {

    @Test
    void a_generated_write_key_is_shown_once_stored_hashed_and_works_after_a_restart(@TempDir Path dir)
            throws Exception {
        ServerConfig cfg = ServerConfig.defaults().withDataDir(dir.resolve("data"));
        List<SourceSpec> specs = List.of(new SourceSpec("kiosk", "Kiosk", null, List.of()));
        List<String> shown = new ArrayList<>();

        try (Stores stores = EmbeddedStores.open(cfg)) {
            new PolicySourceRegistry(
                    specs, new SecretResolver(Map.of(), dir), stores.generatedKeys(), (s, k) -> shown.add(k));
        }
        try (Stores stores = EmbeddedStores.open(cfg)) {
            PolicySourceRegistry again = new PolicySourceRegistry(
                    specs, new SecretResolver(Map.of(), dir), stores.generatedKeys(), (s, k) -> shown.add(k));

            assertThat(shown).hasSize(1);
            assertThat(again.byWriteKey(shown.get(0))).map(Source::id).contains("kiosk");
            assertThat(again.byWriteKey("not-the-key")).isEmpty();
        }
        byte[] configDb = Files.readAllBytes(dir.resolve("data/config.db"));
        assertThat(new String(configDb, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(shown.get(0));
    }
}

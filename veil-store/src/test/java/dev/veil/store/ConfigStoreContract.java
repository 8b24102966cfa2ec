package dev.veil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.store.ConfigStore.MaskingSecret;
import dev.veil.store.ConfigStore.PolicyVersion;
import dev.veil.store.ConfigStore.Source;
import dev.veil.store.TestEvents.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link ConfigStore} backend must have. */
public abstract class ConfigStoreContract {

    protected static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");

    @TempDir
    protected Path dir;

    protected final MutableClock clock = new MutableClock(T0);
    protected final MasterKey key = MasterKey.random();
    private final List<ConfigStore> opened = new ArrayList<>();

    protected abstract ConfigStore open(Path dir, MasterKey key, MutableClock clock);

    protected ConfigStore open() {
        return open(key);
    }

    protected ConfigStore open(MasterKey k) {
        ConfigStore store = open(dir, k, clock);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(ConfigStore::close);
    }

    @Test
    void creates_updates_lists_and_deletes_sources() {
        ConfigStore store = open();
        Source created = store.saveSource("web", "Website", List.of("https://clinic.example"));
        clock.advance(Duration.ofMinutes(1));
        Source updated = store.saveSource(
                "web", "Main website", List.of("https://clinic.example", "https://www.clinic.example"));
        store.saveSource("app", "App", List.of());

        assertThat(created.createdAt()).isEqualTo(T0);
        assertThat(updated.createdAt()).isEqualTo(T0);
        assertThat(updated.updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(store.source("web")).hasValueSatisfying(s -> {
            assertThat(s.name()).isEqualTo("Main website");
            assertThat(s.allowedOrigins()).containsExactly("https://clinic.example", "https://www.clinic.example");
            assertThat(s.hasWriteKey()).isFalse();
        });
        assertThat(store.sources()).extracting(Source::id).containsExactly("app", "web");
        assertThat(store.deleteSource("app")).isTrue();
        assertThat(store.deleteSource("app")).isFalse();
        assertThat(store.source("app")).isEmpty();
    }

    @Test
    void generates_a_write_key_once_and_finds_the_source_by_it() {
        ConfigStore store = open();
        store.saveSource("web", "Website", List.of());

        Optional<String> first = store.ensureGeneratedWriteKey("web");
        Optional<String> second = store.ensureGeneratedWriteKey("web");

        assertThat(first).isPresent();
        assertThat(Base64.getUrlDecoder().decode(first.orElseThrow())).hasSize(32);
        assertThat(second).isEmpty();
        assertThat(store.findSourceByWriteKey(first.orElseThrow()))
                .map(Source::id)
                .hasValue("web");
        assertThat(store.source("web").orElseThrow().hasWriteKey()).isTrue();
        assertThat(store.findSourceByWriteKey("not-a-key")).isEmpty();
        assertThat(store.findSourceByWriteKey("")).isEmpty();
    }

    @Test
    void rotating_a_write_key_retires_the_old_one() {
        ConfigStore store = open();
        store.saveSource("web", "Website", List.of());
        String old = store.ensureGeneratedWriteKey("web").orElseThrow();

        String fresh = store.rotateWriteKey("web");

        assertThat(fresh).isNotEqualTo(old);
        assertThat(store.findSourceByWriteKey(old)).isEmpty();
        assertThat(store.findSourceByWriteKey(fresh)).map(Source::id).hasValue("web");
    }

    @Test
    void accepts_an_operator_supplied_write_key_of_sane_length() {
        ConfigStore store = open();
        store.saveSource("web", "Website", List.of());

        store.setWriteKey("web", "operator-key-0123456789");

        assertThat(store.findSourceByWriteKey("operator-key-0123456789")).isPresent();
        assertThat(store.ensureGeneratedWriteKey("web")).isEmpty();
        assertThatThrownBy(() -> store.setWriteKey("web", "short"))
                .hasMessageContaining("5 characters; at least 16")
                .hasMessageNotContaining("short");
    }

    @Test
    void refuses_write_keys_for_unknown_sources() {
        ConfigStore store = open();
        assertThatThrownBy(() -> store.ensureGeneratedWriteKey("nope"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("source 'nope' does not exist");
    }

    @Test
    void numbers_policy_versions_and_keeps_the_history() {
        ConfigStore store = open();
        assertThat(store.latestPolicy()).isEmpty();

        PolicyVersion v1 = store.savePolicy("version: 1\n", "admin", "first");
        clock.advance(Duration.ofHours(1));
        PolicyVersion v2 = store.savePolicy("version: 1\ndestinations: []\n", "cli", "");

        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(store.latestPolicy()).hasValue(v2);
        assertThat(store.policy(1)).hasValue(v1);
        assertThat(store.policy(3)).isEmpty();
        assertThat(store.policyHistory()).containsExactly(v2, v1);
        assertThat(v2.createdAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    }

    @Test
    void generates_masking_secret_version_1_on_first_use_and_keeps_it() {
        ConfigStore store = open();

        List<MaskingSecret> first = store.maskingSecrets();
        List<MaskingSecret> again = store.maskingSecrets();

        assertThat(first).singleElement().satisfies(s -> {
            assertThat(s.version()).isEqualTo(1);
            assertThat(s.secret()).hasSize(32).isNotEqualTo(new byte[32]);
            assertThat(s.activatedAt()).isEqualTo(T0);
            assertThat(s.toString()).contains("██");
        });
        assertThat(again).isEqualTo(first);
    }

    @Test
    void rotating_the_masking_secret_adds_the_next_version() {
        ConfigStore store = open();
        MaskingSecret v1 = store.maskingSecrets().getFirst();
        clock.advance(Duration.ofDays(1));

        MaskingSecret v2 = store.rotateMaskingSecret();

        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.activatedAt()).isEqualTo(T0.plus(Duration.ofDays(1)));
        assertThat(v2.secret()).isNotEqualTo(v1.secret());
        assertThat(store.maskingSecrets()).containsExactly(v1, v2);
    }

    @Test
    void keeps_everything_across_reopen() {
        ConfigStore store = open();
        store.saveSource("web", "Website", List.of("https://clinic.example"));
        String writeKey = store.ensureGeneratedWriteKey("web").orElseThrow();
        store.savePolicy("version: 1\n", "admin", "");
        List<MaskingSecret> secrets = store.maskingSecrets();
        store.close();

        ConfigStore reopened = open();

        assertThat(reopened.findSourceByWriteKey(writeKey)).map(Source::id).hasValue("web");
        assertThat(reopened.latestPolicy()).map(PolicyVersion::version).hasValue(1);
        assertThat(reopened.maskingSecrets()).isEqualTo(secrets);
    }

    @Test
    void refuses_to_open_with_another_master_key() {
        ConfigStore store = open();
        store.maskingSecrets();
        store.close();

        assertThatThrownBy(() -> open(MasterKey.random()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("master key does not match");
    }
}

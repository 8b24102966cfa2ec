package dev.veil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.store.TestEvents.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link SecretStore} backend must have. */
public abstract class SecretStoreContract {

    protected static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");

    @TempDir
    protected Path dir;

    protected final MutableClock clock = new MutableClock(T0);
    protected final MasterKey key = MasterKey.random();

    protected abstract SecretStore open(Path dir, MasterKey key, MutableClock clock);

    @Test
    void keeps_replaces_and_deletes_secrets_and_counts_revisions() {
        SecretStore s = open(dir, key, clock);
        long r0 = s.revision();
        s.put("ga4.apiSecret", "first-value", "user:alice");
        s.put("ga4.apiSecret", "second-value", "user:bob");
        s.put("meta.accessToken", "token-value", "user:alice");

        assertThat(s.get("ga4.apiSecret")).contains("second-value");
        assertThat(s.list())
                .extracting(SecretStore.Info::name, SecretStore.Info::updatedBy)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ga4.apiSecret", "user:bob"),
                        org.assertj.core.groups.Tuple.tuple("meta.accessToken", "user:alice"));
        assertThat(s.revision()).isEqualTo(r0 + 3);

        assertThat(s.delete("ga4.apiSecret")).isTrue();
        assertThat(s.delete("ga4.apiSecret")).isFalse();
        assertThat(s.get("ga4.apiSecret")).isEmpty();
        assertThat(s.revision()).isEqualTo(r0 + 4);
    }

    @Test
    void secrets_survive_reopening_with_the_same_key_only() {
        open(dir, key, clock).put("x", "value-1", "cli:root");

        assertThat(open(dir, key, clock).get("x")).contains("value-1");
        assertThatThrownBy(() -> open(dir, MasterKey.random(), clock).get("x"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot be decrypted")
                .hasMessageNotContaining("value-1");
    }

    @Test
    void refuses_empty_values() {
        assertThatThrownBy(() -> open(dir, key, clock).put("x", "", "cli:root"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.veil.store;

import static dev.veil.store.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.core.event.RawEvent;
import dev.veil.store.DeadLetterStore.DeadLetter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link DeadLetterStore} backend must have. */
public abstract class DeadLetterStoreContract {

    protected static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");

    @TempDir
    protected Path dir;

    protected final MasterKey key = MasterKey.random();
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Opens (or reopens) the backend's store under {@code dir}; the returned store is closed after the test. */
    protected abstract DeadLetterStore open(Path dir, MasterKey key);

    /** Closes a store returned by {@link #open}. */
    protected abstract void close(DeadLetterStore store);

    /** The files that hold the store's data at rest, scanned for plaintext. */
    protected abstract List<Path> filesAtRest(Path dir) throws IOException;

    protected DeadLetterStore open() {
        return open(key);
    }

    protected DeadLetterStore open(MasterKey k) {
        DeadLetterStore store = open(dir, k);
        opened.add(() -> close(store));
        return store;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    @Test
    void keeps_the_event_and_reason_of_a_failed_delivery() {
        DeadLetterStore store = open();
        RawEvent e = TestEvents.event("src-1", "m-1", T0, "asthma");
        store.add("ga4", e, "400: invalid event name", T0.plusSeconds(5));

        List<DeadLetter> list = store.list("ga4", T0, 10);

        assertThat(list).singleElement().satisfies(d -> {
            assertThat(d.destinationId()).isEqualTo("ga4");
            assertThat(d.event()).usingRecursiveComparison().isEqualTo(e);
            assertThat(d.reason()).isEqualTo("400: invalid event name");
            assertThat(d.failedAt()).isEqualTo(T0.plusSeconds(5));
            assertThat(d.replayedAt()).isNull();
        });
        assertThat(store.get(list.getFirst().id()))
                .hasValueSatisfying(d -> assertThat(d.reason()).isEqualTo("400: invalid event name"));
        assertThat(store.get(999_999)).isEmpty();
    }

    @Test
    void lists_per_destination_oldest_first_from_since_up_to_max() {
        DeadLetterStore store = open();
        store.add("ga4", event("a", T0), "r", T0.plusSeconds(3));
        store.add("ga4", event("b", T0), "r", T0.plusSeconds(1));
        store.add("ga4", event("c", T0), "r", T0.plusSeconds(2));
        store.add("meta", event("d", T0), "r", T0.plusSeconds(2));

        assertThat(store.list("ga4", T0, 10))
                .extracting(d -> d.event().messageId())
                .containsExactly("b", "c", "a");
        assertThat(store.list("ga4", T0.plusSeconds(2), 1))
                .extracting(d -> d.event().messageId())
                .containsExactly("c");
        assertThat(store.count("ga4")).isEqualTo(3);
        assertThat(store.count("meta")).isEqualTo(1);
        assertThat(store.count("tiktok")).isZero();
    }

    @Test
    void counts_only_dead_letters_not_yet_replayed() {
        DeadLetterStore store = open();
        store.add("ga4", event("a", T0), "r", T0);
        store.add("ga4", event("b", T0), "r", T0);
        long first = store.list("ga4", T0, 10).getFirst().id();

        store.markReplayed(List.of(first), T0.plusSeconds(60));

        assertThat(store.count("ga4")).isEqualTo(1);
        assertThat(store.get(first))
                .hasValueSatisfying(d -> assertThat(d.replayedAt()).isEqualTo(T0.plusSeconds(60)));
    }

    @Test
    void purges_dead_letters_failed_before_the_cutoff() {
        DeadLetterStore store = open();
        store.add("ga4", event("old", T0), "r", T0);
        store.add("ga4", event("new", T0), "r", T0.plus(Duration.ofDays(10)));

        assertThat(store.purge(T0.plus(Duration.ofDays(7)))).isEqualTo(1);
        assertThat(store.list("ga4", T0, 10))
                .extracting(d -> d.event().messageId())
                .containsExactly("new");
    }

    @Test
    void keeps_dead_letters_across_reopen_and_stores_no_plaintext() throws IOException {
        String canary = "CANARY-DLQ-51c2e";
        DeadLetterStore store = open();
        store.add("ga4", TestEvents.event("src-1", "m-1", T0, canary), "r", T0);
        close(store);

        DeadLetterStore reopened = open();
        assertThat(reopened.list("ga4", T0, 10))
                .singleElement()
                .satisfies(d -> assertThat(d.event().message().toString()).contains(canary));
        byte[] needle = canary.getBytes(StandardCharsets.UTF_8);
        for (Path f : filesAtRest(dir)) {
            String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(bytes)
                    .as("file %s", f.getFileName())
                    .doesNotContain(new String(needle, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void stores_no_message_id_in_plaintext() throws IOException {
        // Callers choose message ids and some put PHI in them: only the encrypted payload may hold them.
        String canary = "jane.canary@example.org-1741962687440";
        DeadLetterStore store = open();
        store.add("ga4", TestEvents.event("src-1", canary, T0, "x"), "r", T0);
        assertThat(store.list("ga4", T0, 10))
                .singleElement()
                .satisfies(d -> assertThat(d.event().messageId()).isEqualTo(canary));
        assertNoPlaintext(canary);
        close(store);
        assertNoPlaintext(canary);
    }

    protected void assertNoPlaintext(String canary) throws IOException {
        List<Path> files = filesAtRest(dir);
        assertThat(files).isNotEmpty();
        String needle = new String(canary.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        for (Path f : files) {
            String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            assertThat(bytes).as("file %s", f.getFileName()).doesNotContain(needle);
        }
    }

    @Test
    void fails_clearly_when_read_with_another_master_key() {
        DeadLetterStore store = open();
        store.add("ga4", event("a", T0), "r", T0);
        close(store);

        DeadLetterStore wrong = open(MasterKey.random());
        assertThatThrownBy(() -> wrong.list("ga4", T0, 10))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot be decrypted")
                .hasMessageContaining("master key");
    }
}

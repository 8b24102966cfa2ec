package dev.veil.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.DictionaryStore.Entry;
import dev.veil.store.DictionaryStore.EventKey;
import dev.veil.store.DictionaryStore.FieldObservation;
import dev.veil.store.DictionaryStore.FieldType;
import dev.veil.store.DictionaryStore.Flow;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link DictionaryStore} backend must have. */
public abstract class DictionaryStoreContract {

    protected static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    protected static final EventKey BOOKED = EventKey.track("Appointment Booked");

    @TempDir
    protected Path dir;

    private final List<DictionaryStore> opened = new ArrayList<>();

    protected abstract DictionaryStore open(Path dir);

    protected DictionaryStore open() {
        DictionaryStore store = open(dir);
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(DictionaryStore::close);
    }

    protected static FieldObservation seen(EventKey e, String path, FieldType type, long count, Instant at) {
        return new FieldObservation(e, path, Set.of(type), count, at);
    }

    @Test
    void adds_counts_merges_types_and_keeps_the_first_sighting() {
        DictionaryStore store = open();
        store.record(
                List.of(
                        seen(BOOKED, "", FieldType.OBJECT, 2, T0),
                        seen(BOOKED, "properties.clinic_zip", FieldType.STRING, 2, T0)),
                2);
        store.record(
                List.of(seen(BOOKED, "properties.clinic_zip", FieldType.NUMBER, 3, T0.plus(Duration.ofHours(1)))), 5);

        Entry zip = entry(store, BOOKED, "properties.clinic_zip");
        assertThat(zip.count()).isEqualTo(5);
        assertThat(zip.types()).containsExactlyInAnyOrder(FieldType.STRING, FieldType.NUMBER);
        assertThat(zip.firstSeen()).isEqualTo(T0);
        assertThat(zip.lastSeen()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(entry(store, BOOKED, "").count()).isEqualTo(2);
        assertThat(store.learnedThrough()).isEqualTo(5);
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void survives_a_reopen() {
        DictionaryStore first = open(dir);
        first.record(List.of(seen(EventKey.call("page"), "context.page.url", FieldType.STRING, 1, T0)), 7);
        first.close();

        DictionaryStore again = open();
        assertThat(again.learnedThrough()).isEqualTo(7);
        assertThat(again.entries())
                .extracting(e -> e.event().label() + " " + e.path())
                .containsExactly("page calls context.page.url");
    }

    @Test
    void lists_track_events_before_other_calls_and_paths_in_order() {
        DictionaryStore store = open();
        store.record(
                List.of(
                        seen(EventKey.call("identify"), "traits.plan", FieldType.STRING, 1, T0),
                        seen(EventKey.track("Signed Up"), "properties.b", FieldType.STRING, 1, T0),
                        seen(EventKey.track("Signed Up"), "properties.a", FieldType.STRING, 1, T0),
                        seen(BOOKED, "properties.z", FieldType.BOOLEAN, 1, T0)),
                4);

        assertThat(store.entries())
                .extracting(e -> e.event().label() + ":" + e.path())
                .containsExactly(
                        "Appointment Booked:properties.z",
                        "Signed Up:properties.a",
                        "Signed Up:properties.b",
                        "identify calls:traits.plan");
    }

    @Test
    void fields_first_seen_after_the_last_review_are_unreviewed() {
        DictionaryStore store = open();
        store.record(List.of(seen(BOOKED, "properties.service_line", FieldType.STRING, 1, T0)), 1);
        assertThat(entry(store, BOOKED, "properties.service_line").unreviewed()).isTrue();

        int marked = store.markReviewed(null, T0.plusSeconds(60), "alice");
        store.record(List.of(seen(BOOKED, "properties.notes", FieldType.STRING, 1, T0.plusSeconds(120))), 2);

        assertThat(marked).isEqualTo(1);
        Entry reviewed = entry(store, BOOKED, "properties.service_line");
        assertThat(reviewed.unreviewed()).isFalse();
        assertThat(reviewed.reviewedBy()).isEqualTo("alice");
        assertThat(reviewed.reviewedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(entry(store, BOOKED, "properties.notes").unreviewed()).isTrue();
    }

    @Test
    void marks_one_event_reviewed_without_touching_the_others() {
        DictionaryStore store = open();
        EventKey signedUp = EventKey.track("Signed Up");
        store.record(
                List.of(
                        seen(BOOKED, "properties.a", FieldType.STRING, 1, T0),
                        seen(signedUp, "properties.a", FieldType.STRING, 1, T0)),
                2);

        assertThat(store.markReviewed(signedUp, T0.plusSeconds(1), "bob")).isEqualTo(1);

        assertThat(entry(store, signedUp, "properties.a").unreviewed()).isFalse();
        assertThat(entry(store, BOOKED, "properties.a").unreviewed()).isTrue();
    }

    @Test
    void adds_flow_counts_per_destination_event_and_path() {
        DictionaryStore store = open();
        store.recordFlows(List.of(
                new Flow("ga4", BOOKED, "properties.service_line", 3, 0, T0),
                new Flow("meta", BOOKED, "properties.service_line", 1, 0, T0)));
        store.recordFlows(List.of(new Flow("ga4", BOOKED, "properties.service_line", 2, 1, T0.plusSeconds(5))));

        assertThat(store.flows())
                .containsExactly(
                        new Flow("ga4", BOOKED, "properties.service_line", 5, 1, T0.plusSeconds(5)),
                        new Flow("meta", BOOKED, "properties.service_line", 1, 0, T0));
    }

    @Test
    void starts_empty_at_position_zero() {
        DictionaryStore store = open();
        assertThat(store.entries()).isEmpty();
        assertThat(store.flows()).isEmpty();
        assertThat(store.learnedThrough()).isZero();
    }

    protected static Entry entry(DictionaryStore store, EventKey event, String path) {
        return store.entries().stream()
                .filter(e -> e.event().equals(event) && e.path().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no entry " + event + " " + path));
    }
}

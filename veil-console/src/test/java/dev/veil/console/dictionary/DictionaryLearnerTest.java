package dev.veil.console.dictionary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.console.testing.Events;
import dev.veil.core.event.RawEvent;
import dev.veil.store.DictionaryStore.Entry;
import dev.veil.store.DictionaryStore.EventKey;
import dev.veil.store.DictionaryStore.FieldType;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteDictionaryStore;
import dev.veil.store.sqlite.SqliteEventLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DictionaryLearnerTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    /** Values that must never reach the dictionary; each is also distinctive enough to find in raw bytes. */
    private static final List<String> CANARIES = List.of(
            "jane.canary@example.org",
            "Cardiology-Canary-7731",
            "MRN-00482913",
            "555-867-5309",
            "1987-03-14",
            "02139",
            "Zorblax Canaryfield",
            "9b1f0c2e-canary-token");

    @TempDir
    Path dir;

    private SqliteEventLog log;
    private SqliteDictionaryStore store;

    @BeforeEach
    void open() {
        log = SqliteEventLog.open(dir, MasterKey.random(), EventLogOptions.defaults());
        store = SqliteDictionaryStore.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
        log.close();
    }

    private DictionaryLearner learner() {
        return new DictionaryLearner(log, store, new DictionaryLearner.Options(100, Duration.ofMillis(10), 1_000));
    }

    private void append(String... json) {
        List<RawEvent> events = new ArrayList<>();
        for (String j : json) {
            events.add(Events.raw(j, T0));
        }
        log.append(events);
    }

    @Test
    void learns_event_names_paths_types_and_counts() {
        append("""
                {"type":"track","event":"Appointment Booked","userId":"u-1",
                 "properties":{"service_line":"Cardiology-Canary-7731","value":120,"insured":true,
                   "items":[{"sku":"A"},{"sku":"B","qty":2}]},
                 "context":{"page":{"url":"https://clinic.example/book?email=jane.canary@example.org"}}}
                """, """
                {"type":"track","event":"Appointment Booked","properties":{"service_line":7}}
                """, """
                {"type":"identify","userId":"u-2","traits":{"birth_date":"1987-03-14","zip":"02139"}}
                """);

        assertThat(learner().learnOnce()).isEqualTo(3);

        EventKey booked = EventKey.track("Appointment Booked");
        assertThat(entry(booked, "").count()).isEqualTo(2);
        Entry serviceLine = entry(booked, "properties.service_line");
        assertThat(serviceLine.count()).isEqualTo(2);
        assertThat(serviceLine.types()).containsExactlyInAnyOrder(FieldType.STRING, FieldType.NUMBER);
        assertThat(entry(booked, "properties.value").types()).containsExactly(FieldType.NUMBER);
        assertThat(entry(booked, "properties.insured").types()).containsExactly(FieldType.BOOLEAN);
        assertThat(entry(booked, "properties.items").types()).containsExactly(FieldType.ARRAY);
        assertThat(entry(booked, "properties.items[]").types()).containsExactly(FieldType.OBJECT);
        assertThat(entry(booked, "properties.items[].sku").count()).isEqualTo(1);
        assertThat(entry(booked, "properties.items[].qty").types()).containsExactly(FieldType.NUMBER);
        assertThat(entry(booked, "context.page.url").types()).containsExactly(FieldType.STRING);
        assertThat(entry(booked, "userId").count()).isEqualTo(1);
        assertThat(entry(EventKey.call("identify"), "traits.birth_date").count())
                .isEqualTo(1);
        assertThat(store.learnedThrough()).isEqualTo(3);
    }

    @Test
    void a_property_value_never_appears_in_the_dictionary_files() throws Exception {
        append("""
                {"type":"track","event":"Appointment Booked","userId":"9b1f0c2e-canary-token",
                 "properties":{"service_line":"Cardiology-Canary-7731","mrn":"MRN-00482913",
                   "patient":{"name":"Zorblax Canaryfield","phone":"555-867-5309"}},
                 "context":{"traits":{"email":"jane.canary@example.org","birthday":"1987-03-14"},
                   "page":{"url":"https://clinic.example/?zip=02139"}}}
                """, """
                {"type":"identify","userId":"9b1f0c2e-canary-token",
                 "traits":{"email":"jane.canary@example.org","zip":"02139","name":"Zorblax Canaryfield"}}
                """);
        DictionaryLearner learner = learner();
        learner.learnOnce();
        store.markReviewed(null, T0, "alice");

        assertThat(store.entries()).hasSizeGreaterThan(10);
        String bytes = dictionaryFileBytes();
        assertThat(bytes).contains("service_line"); // the names are there, so the files were really read
        for (String canary : CANARIES) {
            assertThat(bytes).as("dictionary files hold '%s'", canary).doesNotContain(canary);
        }
    }

    @Test
    void names_that_look_like_phi_are_stored_as_markers() throws Exception {
        append("""
                {"type":"track","event":"Booked for jane.canary@example.org",
                 "properties":{"jane.canary@example.org":"x","555-867-5309":1,"ok_name":"Zorblax Canaryfield"}}
                """);

        learner().learnOnce();

        EventKey withheld = EventKey.track(dev.veil.core.engine.SafeNames.WITHHELD_EVENT);
        assertThat(store.entries())
                .extracting(e -> e.event().label() + "|" + e.path())
                .contains(withheld.label() + "|properties.<unnamed key>", withheld.label() + "|properties.ok_name");
        String bytes = dictionaryFileBytes();
        assertThat(bytes).doesNotContain("jane.canary").doesNotContain("867-5309");
    }

    @Test
    void counts_every_event_once_across_batches_and_restarts() {
        for (int i = 0; i < 250; i++) {
            append("{\"type\":\"track\",\"event\":\"Signed Up\",\"properties\":{\"plan\":\"basic\"}}");
        }
        DictionaryLearner first = learner();
        assertThat(first.learnOnce()).isEqualTo(100);
        DictionaryLearner afterRestart = learner();
        while (afterRestart.learnOnce() > 0) {
            // drain
        }

        assertThat(entry(EventKey.track("Signed Up"), "properties.plan").count())
                .isEqualTo(250);
    }

    @Test
    void stops_adding_fields_at_the_cap_and_counts_the_rest() {
        StringBuilder props = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            props.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        append("{\"type\":\"track\",\"event\":\"Wide\",\"properties\":{" + props + "}}");
        DictionaryLearner capped =
                new DictionaryLearner(log, store, new DictionaryLearner.Options(100, Duration.ofMillis(10), 10));

        capped.learnOnce();

        assertThat(store.size()).isEqualTo(10);
        assertThat(capped.overflow()).isEqualTo(21); // 1 event row + 30 keys = 31 fields, 10 kept
    }

    @Test
    void the_background_thread_learns_new_events() {
        try (DictionaryLearner running = learner().start()) {
            append("{\"type\":\"page\",\"name\":\"Home\",\"context\":{\"page\":{\"path\":\"/\"}}}");
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> store.entries().stream().anyMatch(e -> e.path().equals("context.page.path")));
        }
    }

    @Test
    void the_background_thread_pauses_after_each_batch_in_proportion_to_its_work() {
        DictionaryLearner.Options tenth = new DictionaryLearner.Options(100, Duration.ofMillis(10), 1_000, 0.1);
        assertThat(tenth.pauseAfter(Duration.ofMillis(20))).isEqualTo(Duration.ofMillis(180));
        assertThat(DictionaryLearner.Options.DEFAULTS.pauseAfter(Duration.ofMillis(20)))
                .isEqualTo(Duration.ofMillis(180));
        assertThat(new DictionaryLearner.Options(100, Duration.ofMillis(10), 1_000, 1.0)
                        .pauseAfter(Duration.ofSeconds(1)))
                .isEqualTo(Duration.ZERO);
        assertThat(tenth.pauseAfter(Duration.ofMinutes(1))).isEqualTo(DictionaryLearner.Options.MAX_PAUSE);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new DictionaryLearner.Options(100, Duration.ofMillis(10), 1_000, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_paced_background_thread_still_counts_every_event_once() {
        String[] events = new String[250];
        java.util.Arrays.fill(events, "{\"type\":\"track\",\"event\":\"Signed Up\",\"properties\":{\"plan\":\"pro\"}}");
        append(events);
        // batches of 100 at a fifth of a core: three batches with pauses between them
        try (DictionaryLearner running = new DictionaryLearner(
                        log, store, new DictionaryLearner.Options(100, Duration.ofMillis(10), 1_000, 0.2))
                .start()) {
            org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> store.learnedThrough() == log.headOffset());
        }
        assertThat(entry(EventKey.track("Signed Up"), "properties.plan").count())
                .isEqualTo(250);
    }

    private Entry entry(EventKey event, String path) {
        return store.entries().stream()
                .filter(e -> e.event().equals(event) && e.path().equals(path))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no entry " + event.label() + " " + path + " in "
                        + store.entries().stream().map(Entry::path).toList()));
    }

    /** Every byte of the dictionary's SQLite files (main file, WAL, shared memory), as Latin-1 text. */
    private String dictionaryFileBytes() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(SqliteDictionaryStore.FILE_NAME))
                    .toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }
}

package dev.veil.store;

import static dev.veil.store.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.core.event.RawEvent;
import dev.veil.store.EventLog.AppendResult;
import dev.veil.store.EventLog.LogEntry;
import dev.veil.store.TestEvents.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link EventLog} backend must have. A backend's test extends this class and says how to
 * open its log over a directory (file-based backends) or a fresh namespace.
 */
@Timeout(120) // concurrency tests: a deadlock must fail the test, not hang the build
public abstract class EventLogContract {

    protected static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");

    @TempDir
    protected Path dir;

    protected final MutableClock clock = new MutableClock(T0);
    protected final MasterKey key = MasterKey.random();
    private final List<EventLog> opened = new ArrayList<>();

    /** Opens (or reopens) the backend's log stored under {@code dir}. */
    protected abstract EventLog open(Path dir, MasterKey key, EventLogOptions options);

    /** The files that hold the log's data at rest, scanned for plaintext. */
    protected abstract List<Path> filesAtRest(Path dir) throws IOException;

    protected EventLogOptions options() {
        return EventLogOptions.defaults().withClock(clock);
    }

    protected EventLog open() {
        return open(key, options());
    }

    protected EventLog open(MasterKey k, EventLogOptions options) {
        EventLog log = open(dir, k, options);
        opened.add(log);
        return log;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(EventLog::close);
    }

    private static List<String> messageIds(List<LogEntry> entries) {
        return entries.stream().map(e -> e.event().messageId()).toList();
    }

    @Test
    void reads_appended_events_in_order_with_increasing_offsets() {
        EventLog log = open();
        log.append(List.of(event("a", T0), event("b", T0)));
        log.append(List.of(event("c", T0)));

        List<LogEntry> all = log.read(0, 100);

        assertThat(messageIds(all)).containsExactly("a", "b", "c");
        assertThat(all).extracting(LogEntry::offset).isSorted().doesNotHaveDuplicates();
        assertThat(all.getFirst().offset()).isGreaterThanOrEqualTo(1);
        assertThat(log.headOffset()).isEqualTo(all.getLast().offset());
        assertThat(log.size()).isEqualTo(3);
        assertThat(messageIds(log.read(all.getFirst().offset(), 1))).containsExactly("b");
        assertThat(log.read(log.headOffset(), 10)).isEmpty();
    }

    @Test
    void returns_the_event_exactly_as_appended() {
        EventLog log = open();
        RawEvent original = event("src-9", "m-1", T0, "hiv positive");
        log.append(List.of(original));

        RawEvent back = log.read(0, 1).getFirst().event();

        assertThat(back).usingRecursiveComparison().isEqualTo(original);
    }

    @Test
    void an_empty_log_has_head_zero_and_size_zero() {
        EventLog log = open();
        assertThat(log.headOffset()).isZero();
        assertThat(log.size()).isZero();
        assertThat(log.read(0, 10)).isEmpty();
        assertThat(log.append(List.of())).isEmpty();
    }

    @Test
    void drops_a_duplicate_within_the_same_append() {
        EventLog log = open();
        List<AppendResult> results = log.append(List.of(event("a", T0), event("b", T0), event("a", T0)));

        assertThat(results).containsExactly(AppendResult.ACCEPTED, AppendResult.ACCEPTED, AppendResult.DUPLICATE);
        assertThat(messageIds(log.read(0, 10))).containsExactly("a", "b");
    }

    @Test
    void drops_a_duplicate_appended_later_but_not_the_same_message_id_from_another_source() {
        EventLog log = open();
        log.append(List.of(event("a", T0)));
        clock.advance(Duration.ofHours(23));

        assertThat(log.append(List.of(event("a", T0)))).containsExactly(AppendResult.DUPLICATE);
        assertThat(log.append(List.of(TestEvents.event("src-2", "a", T0, "x")))).containsExactly(AppendResult.ACCEPTED);
        assertThat(log.size()).isEqualTo(2);
    }

    @Test
    void drops_a_duplicate_after_reopening() {
        EventLog log = open();
        log.append(List.of(event("a", T0)));
        log.close();

        EventLog reopened = open();

        assertThat(reopened.append(List.of(event("a", T0)))).containsExactly(AppendResult.DUPLICATE);
        assertThat(reopened.size()).isEqualTo(1);
    }

    @Test
    void accepts_the_same_message_id_again_outside_the_dedup_window() {
        EventLog log = open(key, options().withDedupWindow(Duration.ofHours(1)));
        log.append(List.of(event("a", T0)));
        clock.advance(Duration.ofMinutes(59));
        assertThat(log.append(List.of(event("a", T0)))).containsExactly(AppendResult.DUPLICATE);
        clock.advance(Duration.ofMinutes(2));

        assertThat(log.append(List.of(event("a", T0)))).containsExactly(AppendResult.ACCEPTED);
        assertThat(log.size()).isEqualTo(2);
    }

    @Test
    void keeps_events_and_offsets_across_close_and_reopen() {
        EventLog log = open();
        log.append(List.of(event("a", T0), event("b", T0)));
        long head = log.headOffset();
        log.close();

        EventLog reopened = open();

        assertThat(messageIds(reopened.read(0, 10))).containsExactly("a", "b");
        assertThat(reopened.headOffset()).isEqualTo(head);
        assertThat(reopened.size()).isEqualTo(2);
        reopened.append(List.of(event("c", T0)));
        assertThat(reopened.headOffset()).isGreaterThan(head);
    }

    @Test
    void remembers_consumer_cursors_across_reopen() {
        EventLog log = open();
        log.append(List.of(event("a", T0), event("b", T0)));
        assertThat(log.cursor("ga4")).isZero();

        log.commitCursor("ga4", 1);
        log.commitCursor("ga4", 2);
        log.registerConsumer("meta", 0);
        log.registerConsumer("ga4", 0); // already registered: unchanged
        log.close();

        EventLog reopened = open();
        assertThat(reopened.cursor("ga4")).isEqualTo(2);
        assertThat(reopened.cursor("meta")).isZero();
        assertThat(reopened.consumers()).containsOnlyKeys("ga4", "meta").containsEntry("ga4", 2L);
        reopened.removeConsumer("meta");
        assertThat(reopened.consumers()).containsOnlyKeys("ga4");
    }

    @Test
    void refuses_negative_cursor_offsets() {
        EventLog log = open();
        assertThatThrownBy(() -> log.commitCursor("ga4", -1)).hasMessageContaining("offset must be >= 0");
    }

    @Test
    void purges_nothing_while_no_consumer_is_registered() {
        EventLog log = open();
        log.append(List.of(event("a", T0), event("b", T0)));

        assertThat(log.purge(T0.plus(Duration.ofDays(30)))).isZero();
        assertThat(log.size()).isEqualTo(2);
    }

    @Test
    void purges_only_events_every_consumer_has_passed_and_received_before_the_cutoff() {
        EventLog log = open();
        log.append(List.of(event("old-1", T0), event("old-2", T0), event("old-3", T0)));
        log.append(List.of(event("new-1", T0.plus(Duration.ofDays(8)))));
        List<LogEntry> all = log.read(0, 10);
        long head = log.headOffset();
        log.commitCursor("ga4", head); // passed everything
        log.commitCursor("meta", all.get(1).offset()); // passed old-1, old-2

        long deleted = log.purge(T0.plus(Duration.ofDays(7)));

        assertThat(deleted).isEqualTo(2);
        assertThat(messageIds(log.read(0, 10))).containsExactly("old-3", "new-1");
        assertThat(log.size()).isEqualTo(2);

        log.commitCursor("meta", head);
        assertThat(log.purge(T0.plus(Duration.ofDays(7)))).isEqualTo(1);
        assertThat(messageIds(log.read(0, 10))).containsExactly("new-1");
        assertThat(log.headOffset()).isEqualTo(head);
    }

    @Test
    void a_registered_consumer_that_has_read_nothing_holds_back_purge() {
        EventLog log = open();
        log.append(List.of(event("a", T0)));
        log.commitCursor("ga4", log.headOffset());
        log.registerConsumer("new-destination", 0);

        assertThat(log.purge(T0.plus(Duration.ofDays(30)))).isZero();

        log.removeConsumer("new-destination");
        assertThat(log.purge(T0.plus(Duration.ofDays(30)))).isEqualTo(1);
    }

    @Test
    void never_reuses_offsets_after_purging_everything() {
        EventLog log = open();
        log.append(List.of(event("a", T0), event("b", T0)));
        long head = log.headOffset();
        log.commitCursor("ga4", head);
        log.purge(T0.plusSeconds(1));
        assertThat(log.size()).isZero();
        log.close();

        EventLog reopened = open();
        assertThat(reopened.headOffset()).isEqualTo(head);
        reopened.append(List.of(event("c", T0)));
        assertThat(reopened.read(0, 10))
                .singleElement()
                .extracting(LogEntry::offset)
                .isEqualTo(head + 1);
    }

    @Test
    void purge_forgets_dedup_entries_older_than_the_window() {
        EventLog log = open(key, options().withDedupWindow(Duration.ofHours(1)));
        log.append(List.of(event("a", T0)));
        clock.advance(Duration.ofHours(2));
        log.purge(T0); // deletes no event (no consumer), but forgets the old dedup entry

        assertThat(log.append(List.of(event("a", T0)))).containsExactly(AppendResult.ACCEPTED);
        assertThat(log.append(List.of(event("a", T0)))).containsExactly(AppendResult.DUPLICATE);
    }

    @Test
    void loses_and_duplicates_nothing_under_concurrent_appends() throws Exception {
        EventLog log = open();
        int threads = 12;
        int perThread = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i += 3) {
                        // Each thread also sends "shared-i", which every other thread sends too.
                        List<RawEvent> batch = List.of(
                                event("t" + thread + "-" + i, T0),
                                event("t" + thread + "-" + (i + 1), T0),
                                event("shared-" + i, T0));
                        List<AppendResult> results = log.append(batch);
                        for (int k = 0; k < batch.size(); k++) {
                            if (results.get(k) == AppendResult.ACCEPTED) {
                                accepted.add(batch.get(k).messageId());
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        int shared = perThread / 3;
        int expected = threads * shared * 2 + shared;
        List<String> stored = messageIds(log.read(0, 100_000));
        assertThat(accepted).hasSize(expected).doesNotHaveDuplicates();
        assertThat(stored).hasSize(expected).doesNotHaveDuplicates();
        assertThat(new HashSet<>(stored)).isEqualTo(new HashSet<>(accepted));
        assertThat(log.size()).isEqualTo(expected);
    }

    @Test
    void reads_concurrently_with_appends() throws Exception {
        EventLog log = open();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    log.append(List.of(event("m-" + i, T0)));
                }
            });
            Future<Integer> reader = pool.submit(() -> {
                long after = 0;
                int seen = 0;
                while (seen < 200) {
                    for (LogEntry e : log.read(after, 50)) {
                        assertThat(e.event().messageId()).isEqualTo("m-" + seen);
                        after = e.offset();
                        seen++;
                    }
                }
                return seen;
            });
            writer.get();
            assertThat(reader.get()).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void stores_no_event_content_in_plaintext() throws IOException {
        String canary = "CANARY-PHI-7f3a9c";
        EventLog log = open();
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(TestEvents.event("src-1", "m-" + i, T0, canary + "-" + i));
        }
        log.append(events);
        assertThat(log.read(0, 1).getFirst().event().message().toString()).contains(canary);

        // Scan while open (the WAL holds the data) and after close (checkpointed into the main file).
        assertNoCanary(canary);
        log.close();
        assertNoCanary(canary);
    }

    @Test
    void regression_stores_no_message_id_in_plaintext_and_still_deduplicates() throws IOException {
        // Callers choose message ids and some put PHI in them: only the encrypted payload may hold them.
        String canary = "jane.canary@example.org-1741962687440";
        EventLog log = open();
        assertThat(log.append(List.of(TestEvents.event("src-1", canary, T0, "x"))))
                .containsExactly(AppendResult.ACCEPTED);
        assertThat(log.append(List.of(TestEvents.event("src-1", canary, T0, "x"))))
                .containsExactly(AppendResult.DUPLICATE);
        assertThat(log.read(0, 10))
                .singleElement()
                .satisfies(e -> assertThat(e.event().messageId()).isEqualTo(canary));
        assertNoCanary(canary);
        log.close();
        assertNoCanary(canary);
    }

    private void assertNoCanary(String canary) throws IOException {
        List<Path> files = filesAtRest(dir);
        assertThat(files).isNotEmpty();
        byte[] needle = canary.getBytes(StandardCharsets.UTF_8);
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            assertThat(indexOf(bytes, needle))
                    .as("canary in %s", f.getFileName())
                    .isEqualTo(-1);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void refuses_to_open_with_another_master_key_and_says_why() {
        EventLog log = open();
        log.append(List.of(event("a", T0)));
        log.close();

        assertThatThrownBy(() -> open(MasterKey.random(), options()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("master key does not match");
    }

    @Test
    void refuses_appends_after_close() {
        EventLog log = open();
        log.close();
        assertThatThrownBy(() -> log.append(List.of(event("a", T0))))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void acknowledged_appends_are_readable_by_a_new_instance_without_close() {
        EventLog log = open();
        log.append(List.of(event("a", T0)));

        // A second instance over the same storage sees the committed event before the first one closes.
        EventLog other = open();
        assertThat(messageIds(other.read(0, 10))).containsExactly("a");
        assertThat(Set.copyOf(messageIds(log.read(0, 10)))).containsExactly("a");
    }

    protected static List<Path> regularFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}

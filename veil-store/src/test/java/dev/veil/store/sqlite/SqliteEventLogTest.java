package dev.veil.store.sqlite;

import static dev.veil.store.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.veil.core.event.RawEvent;
import dev.veil.store.EventLog;
import dev.veil.store.EventLog.AppendResult;
import dev.veil.store.EventLog.LogEntry;
import dev.veil.store.EventLogContract;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.MessageIdHash;
import dev.veil.store.StoreException;
import dev.veil.store.TestEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SqliteEventLogTest extends EventLogContract {

    @Override
    protected EventLog open(Path dir, MasterKey key, EventLogOptions options) {
        return SqliteEventLog.open(dir, key, options);
    }

    @Override
    protected List<Path> filesAtRest(Path dir) throws IOException {
        return regularFiles(dir);
    }

    @Test
    void a_log_written_with_plain_message_ids_is_rewritten_with_hashes_on_open() throws Exception {
        EventLog log = open();
        log.close();
        // Recreate what a log written before ids were hashed looks like: plain ids, payloads bound to them.
        dev.veil.core.crypto.AesGcm gcm = dev.veil.core.crypto.AesGcm.forPurpose(key.bytes(), "event-log");
        RawEvent old = event("old-jane@example.org-1", T0);
        try (Connection c = SqliteFiles.open(dir.resolve(SqliteEventLog.FILE_NAME), false);
                Statement s = c.createStatement();
                var ins = c.prepareStatement(
                        "INSERT INTO events(source_id, message_id, received_at, payload) VALUES (?, ?, ?, ?)")) {
            s.executeUpdate("DELETE FROM meta WHERE name = 'message_ids'");
            ins.setString(1, old.sourceId());
            ins.setString(2, old.messageId());
            ins.setLong(3, T0.toEpochMilli());
            ins.setBytes(
                    4,
                    gcm.seal(
                            dev.veil.core.event.RawEventCodec.encode(old),
                            SqliteEventLog.aad(old.sourceId(), old.messageId())));
            ins.executeUpdate();
            s.executeUpdate("INSERT INTO dedup(source_id, message_id, seen_at) VALUES ('src-1', '" + old.messageId()
                    + "', " + T0.toEpochMilli() + ")");
        }

        EventLog reopened = open();
        assertThat(reopened.read(0, 10))
                .singleElement()
                .satisfies(e -> assertThat(e.event().messageId()).isEqualTo(old.messageId()));
        assertThat(reopened.append(List.of(old))).containsExactly(AppendResult.DUPLICATE);
        try (Connection c = SqliteFiles.open(dir.resolve(SqliteEventLog.FILE_NAME), true);
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT message_id FROM events UNION ALL SELECT message_id FROM dedup")) {
            List<String> stored = new ArrayList<>();
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
            assertThat(stored).hasSize(2).allSatisfy(id -> assertThat(id).matches("[0-9a-f]{32}"));
        }
    }

    @Test
    void a_new_log_is_made_with_8k_pages() throws Exception {
        EventLog log = open();
        log.append(List.of(event("a", T0)));
        log.close();

        assertThat(pragma(dir.resolve(SqliteEventLog.FILE_NAME), "page_size")).isEqualTo(8192);
        assertThat(SqliteEventLog.NEW_FILE_PAGE_SIZE).isEqualTo(8192);
    }

    @Test
    void a_log_made_with_4k_pages_keeps_them_and_works_as_before() throws Exception {
        // What an older version made: the file created, WAL set with SQLite's default page size, then migrated.
        Path file = dir.resolve(SqliteEventLog.FILE_NAME);
        SqliteFiles.createPrivate(file);
        SqliteFiles.closeQuietly(SqliteFiles.open(file, false));
        SqliteFiles.migrate(file, "events");
        assertThat(pragma(file, "page_size")).isEqualTo(4096);

        EventLog log = open();
        assertThat(log.append(List.of(event("a", T0), event("b", T0)))).containsOnly(AppendResult.ACCEPTED);
        log.close();
        EventLog reopened = open();
        assertThat(reopened.append(List.of(event("a", T0), event("c", T0))))
                .containsExactly(AppendResult.DUPLICATE, AppendResult.ACCEPTED);
        assertThat(messageIdsOf(reopened.read(0, 10))).containsExactly("a", "b", "c");
        reopened.close();

        assertThat(pragma(file, "page_size")).isEqualTo(4096);
    }

    @Test
    void the_writer_backstop_checkpoint_stays_at_64_mb_whatever_the_page_size() throws Exception {
        Path file = dir.resolve(SqliteEventLog.FILE_NAME);
        SqliteFiles.createPrivate(file);
        assertThat(SqliteFiles.initPageSize(file, 16_384)).isTrue();
        assertThat(SqliteFiles.initPageSize(file, 4_096))
                .as("a file with content keeps its page size")
                .isFalse();
        SqliteEventLog log = (SqliteEventLog) open();
        log.append(List.of(event("a", T0)));

        assertThat(pragma(file, "page_size")).isEqualTo(16_384);
        assertThat(log.writerAutocheckpointPages()).isEqualTo((64 << 20) / 16_384);
    }

    private static int pragma(Path file, String name) throws Exception {
        try (Connection c = SqliteFiles.open(file, true);
                Statement s = c.createStatement();
                var rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void a_payload_moved_to_another_row_does_not_decrypt() throws Exception {
        EventLog log = open();
        log.append(List.of(event("a", T0), event("b", T0)));
        long first = log.read(0, 1).getFirst().offset();
        try (Connection c = SqliteFiles.open(dir.resolve(SqliteEventLog.FILE_NAME), false);
                Statement s = c.createStatement()) {
            // Copy b's ciphertext over a's: a valid ciphertext under the right key, bound to another message id.
            MessageIdHash ids = new MessageIdHash(key.bytes());
            s.executeUpdate("UPDATE events SET payload = (SELECT payload FROM events WHERE message_id = '" + ids.of("b")
                    + "') WHERE message_id = '" + ids.of("a") + "'");
        }

        assertThatThrownBy(() -> log.read(0, 10))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("event at offset " + first + " cannot be decrypted");
    }

    @Test
    void logs_no_event_content() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try {
            EventLog log = open();
            log.append(List.of(TestEvents.event("src-1", "m-1", T0, "CANARY-LOG-93b1")));
            log.read(0, 10);
            log.commitCursor("ga4", log.headOffset());
            log.purge(T0.plusSeconds(1));
            log.close();
        } finally {
            root.detachAppender(captured);
        }

        assertThat(captured.list).isNotEmpty();
        assertThat(captured.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("CANARY-LOG") || m.contains("203.0.113.9") || m.contains("Mozilla"));
    }

    @Test
    void keeps_its_files_private_to_the_owner() throws Exception {
        EventLog log = open();
        log.append(List.of(event("a", T0)));

        for (String name : List.of("events.db", "events.db-wal")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name))))
                    .as(name)
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void checkpoints_the_wal_in_the_background() {
        SqliteEventLog log = (SqliteEventLog) open();
        log.append(List.of(event("a", T0), event("b", T0)));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> log.checkpoints() > 0);
        assertThat(messageIdsOf(log.read(0, 10))).containsExactly("a", "b");
    }

    @Test
    void keeps_order_and_dedup_across_multi_row_statements() {
        EventLog log = open();
        int n = SqliteEventLog.ROWS_PER_STATEMENT * 2 + 7;
        List<RawEvent> events = new ArrayList<>();
        List<AppendResult> expected = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // every 5th message repeats the one 3 earlier: some repeats fall in the same statement, some in the next
            String id = i % 5 == 4 ? "m-" + (i - 3) : "m-" + i;
            events.add(event(id, T0));
            boolean repeat = i % 5 == 4;
            expected.add(repeat ? AppendResult.DUPLICATE : AppendResult.ACCEPTED);
            if (!repeat) {
                kept.add(id);
            }
        }
        log.append(List.of(event("m-1", T0))); // already known before the big append

        List<AppendResult> results = log.append(events);

        expected.set(1, AppendResult.DUPLICATE);
        kept.remove("m-1");
        assertThat(results).containsExactlyElementsOf(expected);
        List<LogEntry> all = log.read(0, 1_000);
        assertThat(messageIdsOf(all)).containsExactlyElementsOf(concat("m-1", kept));
        assertThat(all).extracting(LogEntry::offset).isSorted().doesNotHaveDuplicates();
        assertThat(log.headOffset()).isEqualTo(all.getLast().offset());
        assertThat(log.size()).isEqualTo(all.size());
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> out = new ArrayList<>();
        out.add(first);
        out.addAll(rest);
        return out;
    }

    private static List<String> messageIdsOf(List<LogEntry> entries) {
        return entries.stream().map(e -> e.event().messageId()).toList();
    }
}

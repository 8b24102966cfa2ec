package dev.veil.store.rocksdb;

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
import dev.veil.store.StoreException;
import dev.veil.store.TestEvents;
import dev.veil.store.sqlite.SqliteEventLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rocksdb.DBOptions;
import org.rocksdb.WriteOptions;
import org.slf4j.LoggerFactory;

class RocksEventLogTest extends EventLogContract {

    /**
     * RocksDB lets one instance write a directory; the contract's second instance over the same storage (which only
     * reads) is therefore opened read-only, from the files: it sees exactly what was durable.
     */
    @Override
    protected EventLog open(Path dir, MasterKey key, EventLogOptions options) {
        try {
            return RocksEventLog.open(dir, key, options);
        } catch (StoreException e) {
            if (String.valueOf(e.getMessage()).contains("in use by another process or instance")) {
                return RocksEventLog.openReadOnly(dir, key, options);
            }
            throw e;
        }
    }

    @Override
    protected List<Path> filesAtRest(Path dir) throws IOException {
        return regularFiles(dir);
    }

    @Test
    void writes_every_batch_to_the_wal_and_fsyncs_it_before_returning() {
        RocksEventLog log = (RocksEventLog) open();
        log.append(List.of(event("a", T0)));

        assertThat(log.durability()).isEqualTo(RocksDurability.REQUIRED);
        assertThat(log.durability().sync()).isTrue();
    }

    @Test
    void the_durability_check_sees_a_regression_to_unsynced_writes() {
        try (WriteOptions unsynced = new WriteOptions().setSync(false);
                WriteOptions noWal = new WriteOptions().setSync(true).setDisableWAL(true);
                DBOptions db = new DBOptions()) {
            assertThat(RocksDurability.of(unsynced, db)).isNotEqualTo(RocksDurability.REQUIRED);
            assertThat(RocksDurability.of(noWal, db)).isNotEqualTo(RocksDurability.REQUIRED);
            try (DBOptions manual = new DBOptions().setManualWalFlush(true);
                    WriteOptions synced = new WriteOptions().setSync(true)) {
                assertThat(RocksDurability.of(synced, manual)).isNotEqualTo(RocksDurability.REQUIRED);
                assertThat(RocksDurability.of(synced, db)).isEqualTo(RocksDurability.REQUIRED);
            }
        }
    }

    @Test
    void keeps_its_directory_and_files_private_to_the_owner() throws Exception {
        RocksEventLog log = (RocksEventLog) open();
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add(event("m-" + i, T0));
        }
        log.append(events);
        Path logDir = dir.resolve(RocksEventLog.DIR_NAME);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logDir)))
                .isEqualTo("rwx------");
        List<Path> files = regularFiles(logDir);
        assertThat(files).extracting(f -> f.getFileName().toString()).anyMatch(n -> n.endsWith(".log"));
        for (Path f : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                    .as(f.getFileName().toString())
                    .isEqualTo("rw-------");
        }
        log.close();
        for (Path f : regularFiles(logDir)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                    .as("after close (flushed): %s", f.getFileName())
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void refuses_a_data_directory_that_holds_a_sqlite_event_log() throws Exception {
        Files.createFile(dir.resolve(SqliteEventLog.FILE_NAME));

        assertThatThrownBy(() -> open())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("already holds a SQLite event log (events.db)")
                .hasMessageContaining("eventLog: sqlite");
        assertThat(RocksEventLog.existsIn(dir)).isFalse();
    }

    @Test
    void refuses_a_second_writer_on_the_same_directory_and_says_why() {
        open();
        assertThatThrownBy(() -> RocksEventLog.open(dir, key, options()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("in use by another process or instance");
    }

    @Test
    void a_read_only_instance_refuses_writes() {
        EventLog log = open();
        log.append(List.of(event("a", T0)));
        log.close();

        try (RocksEventLog readOnly = RocksEventLog.openReadOnly(dir, key, options())) {
            assertThat(readOnly.read(0, 10)).hasSize(1);
            assertThatThrownBy(() -> readOnly.append(List.of(event("b", T0))))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("read-only");
            assertThat(readOnly.writable()).isFalse();
        }
    }

    @Test
    void refuses_a_wrong_key_even_for_an_empty_log() {
        open().close();

        assertThatThrownBy(() -> RocksEventLog.open(dir, MasterKey.random(), options()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("master key does not match")
                .hasMessageContaining(RocksEventLog.DIR_NAME);
    }

    @Test
    void a_consumer_registered_in_the_same_group_as_its_commit_keeps_the_commit() throws Exception {
        EventLog log = open();
        log.append(List.of(event("a", T0), event("b", T0)));
        log.commitCursor("ga4", 2);
        log.registerConsumer("ga4", 0);

        assertThat(log.cursor("ga4")).isEqualTo(2);
    }

    @Test
    void purge_keeps_a_dedup_entry_refreshed_after_it_expired() {
        EventLog log = open(key, options().withDedupWindow(Duration.ofHours(1)));
        log.append(List.of(event("a", T0)));
        clock.advance(Duration.ofHours(2));
        assertThat(log.append(List.of(event("a", T0)))).containsExactly(AppendResult.ACCEPTED);
        clock.advance(Duration.ofMinutes(30));

        log.purge(T0);

        assertThat(log.append(List.of(event("a", T0)))).containsExactly(AppendResult.DUPLICATE);
    }

    @Test
    void purges_in_chunks_and_keeps_counting_right() {
        EventLog log = open();
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            events.add(event("m-" + i, T0));
        }
        for (int from = 0; from < events.size(); from += 2_000) {
            log.append(events.subList(from, from + 2_000));
        }
        long head = log.headOffset();
        log.commitCursor("ga4", head - 10);

        assertThat(log.purge(T0.plusSeconds(1))).isEqualTo(12_000 - 10);
        assertThat(log.size()).isEqualTo(10);
        assertThat(log.read(0, 100)).extracting(LogEntry::offset).first().isEqualTo(head - 9);
        log.close();
        EventLog reopened = open();
        assertThat(reopened.size()).isEqualTo(10);
        assertThat(reopened.headOffset()).isEqualTo(head);
    }

    @Test
    void reads_everything_after_a_negative_offset_and_nothing_after_the_largest() {
        EventLog log = open();
        log.append(List.of(event("a", T0), event("b", T0)));

        assertThat(log.read(-5, 10)).hasSize(2);
        assertThat(log.firstReceivedAfter(-5)).contains(T0);
        assertThat(log.read(Long.MAX_VALUE, 10)).isEmpty();
        assertThat(log.firstReceivedAfter(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void purge_removes_the_purged_events_from_the_table_files_at_once() {
        RocksEventLog log = (RocksEventLog) open();
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            events.add(event("m-" + i, T0));
        }
        log.append(events);
        log.flush();
        long before = log.eventTableBytes();
        assertThat(before).as("500 sealed events in table files").isGreaterThan(100_000);
        log.commitCursor("ga4", log.headOffset());

        assertThat(log.purge(T0.plusSeconds(1))).isEqualTo(500);

        assertThat(log.eventTableBytes()).as("table bytes after purge").isLessThan(before / 10);
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
}

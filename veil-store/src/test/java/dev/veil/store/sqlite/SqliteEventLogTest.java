package dev.veil.store.sqlite;

import static dev.veil.store.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.veil.store.EventLog;
import dev.veil.store.EventLogContract;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.StoreException;
import dev.veil.store.TestEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
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
    void a_payload_moved_to_another_row_does_not_decrypt() throws Exception {
        EventLog log = open();
        log.append(List.of(event("a", T0), event("b", T0)));
        long first = log.read(0, 1).getFirst().offset();
        try (Connection c = SqliteFiles.open(dir.resolve(SqliteEventLog.FILE_NAME), false);
                Statement s = c.createStatement()) {
            // Copy b's ciphertext over a's: a valid ciphertext under the right key, bound to another message id.
            s.executeUpdate("UPDATE events SET payload = (SELECT payload FROM events WHERE message_id = 'b')"
                    + " WHERE message_id = 'a'");
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
}

package dev.veil.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.crypto.AesGcm;
import dev.veil.core.event.RawEventCodec;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.TestEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An event log written before message ids were hashed (plain {@code message_id} in the events and dedup tables,
 * no {@code message_ids} meta row) is rewritten when it is opened: its events read back unchanged, and the plain
 * id is in no file any more — not in a freed page, not in the WAL.
 */
class SqliteEventLogMigrationTest {

    private static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    private static final String CANARY = "mrn51293564.canary@example.org";
    private static final int EVENTS = 2_500; // several chunks of the migration and many pages

    @TempDir
    Path dir;

    @Test
    void rewrites_plain_message_ids_as_keyed_hashes_and_leaves_no_trace_of_them() throws Exception {
        MasterKey key = MasterKey.random();
        SqliteEventLog.open(dir, key, EventLogOptions.defaults()).close();
        writeLegacyEvents(dir.resolve(SqliteEventLog.FILE_NAME), key);
        assertThat(anyFileContains(CANARY)).as("the old log holds the plain id").isTrue();

        try (SqliteEventLog log = SqliteEventLog.open(dir, key, EventLogOptions.defaults())) {
            assertThat(log.read(0, EVENTS))
                    .hasSize(EVENTS)
                    .first()
                    .satisfies(e -> assertThat(e.event().messageId()).isEqualTo(CANARY));
        }
        assertThat(anyFileContains(CANARY))
                .as("a plain id left in the data directory")
                .isFalse();
    }

    /** Rows as the version before hashing wrote them: the plain id in the column, the AAD and the dedup table. */
    private static void writeLegacyEvents(Path file, MasterKey key) throws Exception {
        AesGcm gcm = AesGcm.forPurpose(key.bytes(), "event-log");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM meta WHERE name = 'message_ids'");
            }
            for (int i = 0; i < EVENTS; i++) {
                String id = i == 0 ? CANARY : CANARY + "-" + i;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO events(source_id, message_id,"
                        + " received_at, payload) VALUES ('src-1', ?, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setLong(2, T0.toEpochMilli());
                    ps.setBytes(
                            3,
                            gcm.seal(
                                    RawEventCodec.encode(TestEvents.event("src-1", id, T0, "asthma")),
                                    SqliteEventLog.aad("src-1", id)));
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO dedup(source_id, message_id, seen_at) VALUES ('src-1', ?, ?)")) {
                    ps.setString(1, id);
                    ps.setLong(2, T0.toEpochMilli());
                    ps.executeUpdate();
                }
            }
        }
    }

    private boolean anyFileContains(String text) throws Exception {
        String needle = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(needle)) {
                    return true;
                }
            }
        }
        return false;
    }
}

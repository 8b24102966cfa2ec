package dev.veil.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.core.crypto.AesGcm;
import dev.veil.core.event.RawEventCodec;
import dev.veil.store.DeadLetterStore.DeadLetter;
import dev.veil.store.MasterKey;
import dev.veil.store.TestEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * A dead-letter store written before message ids were hashed (schema V1, plain {@code message_id}) is rewritten
 * when it is opened: its dead letters read back unchanged, and the plain id is in no file any more.
 */
class SqliteDeadLetterStoreMigrationTest {

    private static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
    private static final String CANARY = "mrn51293564.canary@example.org";

    @TempDir
    Path dir;

    @Test
    void rewrites_plain_message_ids_as_keyed_hashes_and_keeps_the_dead_letters() throws Exception {
        MasterKey key = MasterKey.random();
        Path file = dir.resolve(SqliteDeadLetterStore.FILE_NAME);
        writeVersion1Store(file, key);
        assertThat(contains(file, CANARY))
                .as("the old store holds the plain id")
                .isTrue();

        SqliteDeadLetterStore store = SqliteDeadLetterStore.open(dir, key);
        try {
            List<DeadLetter> letters = store.list("ga4", T0, 10);
            assertThat(letters).singleElement().satisfies(d -> {
                assertThat(d.event().messageId()).isEqualTo(CANARY);
                assertThat(d.reason()).isEqualTo("HTTP 400");
            });
            store.add("ga4", TestEvents.event("src-1", CANARY + "-2", T0, "x"), "HTTP 400", T0);
        } finally {
            store.close();
        }
        SqliteDeadLetterStore reopened = SqliteDeadLetterStore.open(dir, key); // already migrated: unchanged
        try {
            assertThat(reopened.list("ga4", T0, 10))
                    .extracting(d -> d.event().messageId())
                    .containsExactly(CANARY, CANARY + "-2");
        } finally {
            reopened.close();
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                assertThat(contains(f, CANARY))
                        .as("plain id in %s", f.getFileName())
                        .isFalse();
            }
        }
    }

    /** A store as the version before this change wrote it: schema V1 and the plain id in the AAD and column. */
    private static void writeVersion1Store(Path file, MasterKey key) throws Exception {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        Flyway.configure(SqliteDeadLetterStore.class.getClassLoader())
                .dataSource(ds)
                .locations("classpath:db/deadletters")
                .target("1")
                .load()
                .migrate();
        byte[] master = key.bytes();
        AesGcm gcm = AesGcm.forPurpose(master, "dead-letters");
        var event = TestEvents.event("src-1", CANARY, T0, "asthma");
        byte[] sealed = gcm.seal(RawEventCodec.encode(event), SqliteDeadLetterStore.aad("ga4", "src-1", CANARY));
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO dead_letters(destination_id, source_id,"
                        + " message_id, reason, failed_at, payload) VALUES ('ga4', 'src-1', ?, 'HTTP 400', ?, ?)")) {
            ps.setString(1, CANARY);
            ps.setLong(2, T0.toEpochMilli());
            ps.setBytes(3, sealed);
            ps.executeUpdate();
        }
    }

    private static boolean contains(Path file, String text) throws Exception {
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        return bytes.contains(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
    }
}

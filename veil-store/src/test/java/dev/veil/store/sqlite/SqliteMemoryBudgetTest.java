package dev.veil.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's page caches are native memory on top of the Java heap, and the biggest item Veil controls outside it
 * (docs/performance.md, "Native memory": the writer's former 64 MB cache alone put RSS over 512 MB under load). The
 * caches are read back from SQLite, so a regression that grows one again fails here rather than only in a
 * benchmark's RSS.
 */
class SqliteMemoryBudgetTest {

    /** The writer's share of the ~160 MB outside the heap that the launcher's 320 MB heap leaves for 512 MB. */
    private static final long WRITER_BUDGET_KIB = 16_384;

    /** SQLite's own default (-2000 = 2,000 KiB) for every other connection. */
    private static final long OTHER_CONNECTION_BUDGET_KIB = 2_000;

    @TempDir
    Path dir;

    @Test
    void the_default_writer_cache_stays_within_the_rss_budget() {
        assertThat((long) EventLogOptions.defaults().writerCacheKib()).isLessThanOrEqualTo(WRITER_BUDGET_KIB);
    }

    @Test
    void the_writer_connection_gets_the_configured_cache_and_readers_keep_the_default() throws Exception {
        try (SqliteEventLog log = SqliteEventLog.open(dir, MasterKey.random(), EventLogOptions.defaults())) {
            assertThat(log.writerCacheKib()).isEqualTo(EventLogOptions.DEFAULT_WRITER_CACHE_KIB);
            assertThat(log.readerCacheKib())
                    .hasSize(EventLogOptions.defaults().readers())
                    .allSatisfy(kib -> assertThat(kib).isLessThanOrEqualTo(OTHER_CONNECTION_BUDGET_KIB));
        }
    }

    @Test
    void a_configured_writer_cache_is_applied() {
        try (SqliteEventLog log = SqliteEventLog.open(
                dir, MasterKey.random(), EventLogOptions.defaults().withWriterCacheKib(1_024))) {
            assertThat(log.writerCacheKib()).isEqualTo(1_024);
        }
    }

    @Test
    void every_store_connection_keeps_sqlites_default_cache() throws Exception {
        for (boolean readOnly : new boolean[] {false, true}) {
            for (boolean immediate : new boolean[] {false, true}) {
                Connection c = SqliteFiles.open(dir.resolve("any.db"), readOnly, immediate);
                try {
                    assertThat(SqliteFiles.cacheKib(c))
                            .as("readOnly=%s immediate=%s", readOnly, immediate)
                            .isLessThanOrEqualTo(OTHER_CONNECTION_BUDGET_KIB);
                } finally {
                    SqliteFiles.closeQuietly(c);
                }
            }
        }
    }

    @Test
    void the_check_reads_page_counts_as_well_as_kib() throws Exception {
        Connection c = SqliteFiles.open(dir.resolve("pages.db"), false);
        try (var s = c.createStatement()) {
            s.execute("PRAGMA cache_size=100");
            assertThat(SqliteFiles.cacheKib(c)).isEqualTo(100L * SqliteFiles.pageSize(c) / 1024);
        } finally {
            SqliteFiles.closeQuietly(c);
        }
    }
}

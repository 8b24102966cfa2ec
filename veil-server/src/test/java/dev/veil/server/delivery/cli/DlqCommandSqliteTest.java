package dev.veil.server.delivery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.delivery.Fixtures;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteDeadLetterStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command the CLI registers, over the real SQLite dead-letter store of a data directory. */
class DlqCommandSqliteTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new DlqCommand())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void lists_the_dead_letters_of_the_data_directorys_sqlite_store() {
        try (SqliteDeadLetterStore store = SqliteDeadLetterStore.open(dir, MasterKey.load(dir))) {
            store.add("ga", Fixtures.track("sq-1", "Signed Up"), "HTTP 400: vendor refused the batch", Instant.now());
        }

        assertThat(run("list", "ga", "--data-dir", dir.toString()))
                .as(err.toString())
                .isZero();

        assertThat(out.toString()).contains("sq-1", "HTTP 400: vendor refused the batch", "failed");
    }

    @Test
    void refuses_a_directory_without_a_dead_letter_store_instead_of_creating_one() {
        Path empty = dir.resolve("empty");

        assertThat(run("list", "ga", "--data-dir", empty.toString())).isNotZero();

        assertThat(err.toString()).contains("no dead-letter store", SqliteDeadLetterStore.FILE_NAME);
        assertThat(Files.exists(empty.resolve(SqliteDeadLetterStore.FILE_NAME))).isFalse();
    }
}

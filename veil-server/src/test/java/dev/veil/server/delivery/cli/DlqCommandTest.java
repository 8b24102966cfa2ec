package dev.veil.server.delivery.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.veil.server.delivery.Fixtures;
import dev.veil.server.delivery.ReplayQueue;
import dev.veil.server.delivery.SqliteReplayQueue;
import dev.veil.server.testing.TestDeadLetterStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DlqCommandTest {
    private static final Instant NOW = Instant.parse("2026-11-29T05:00:00Z");

    @TempDir
    Path dir;

    private final TestDeadLetterStore letters = new TestDeadLetterStore();
    private final List<Path> opened = new ArrayList<>();
    private StringWriter out;
    private StringWriter err;

    @AfterEach
    void closeStore() {
        letters.close();
    }

    @BeforeEach
    void setUp() {
        letters.add(
                "ga",
                Fixtures.track("old", "Signed Up"),
                "HTTP 400: vendor refused the batch",
                NOW.minusSeconds(3 * 86400));
        letters.add(
                "ga", Fixtures.track("new-1", "Signed Up"), "gave up after retrying for PT24H", NOW.minusSeconds(3600));
        letters.add(
                "ga", Fixtures.track("new-2", "Signed Up"), "gave up after retrying for PT24H", NOW.minusSeconds(60));
        letters.add("mp", Fixtures.track("other", "Signed Up"), "HTTP 400", NOW.minusSeconds(60));
    }

    private int run(String... args) {
        DlqCommand command = new DlqCommand(
                dataDir -> {
                    opened.add(dataDir);
                    ReplayQueue replays = SqliteReplayQueue.open(dataDir);
                    return new DlqStores(letters, replays, replays::close);
                },
                Clock.fixed(NOW, ZoneOffset.UTC));
        out = new StringWriter();
        err = new StringWriter();
        return new CommandLine(command)
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
    }

    private ReplayQueue queue() {
        return SqliteReplayQueue.open(dir);
    }

    @Test
    void list_shows_a_destinations_dead_letters_with_reason_and_status() {
        assertThat(run("list", "ga", "--data-dir", dir.toString())).isZero();
        assertThat(out.toString())
                .contains("old", "new-1", "new-2", "HTTP 400: vendor refused the batch", "failed")
                .contains("3 shown; 3 not replayed for ga")
                .doesNotContain("other");
        assertThat(opened).containsExactly(dir);
    }

    @Test
    void list_since_an_age_shows_only_newer_ones() {
        assertThat(run("list", "ga", "--since", "2h", "-d", dir.toString())).isZero();
        assertThat(out.toString()).contains("new-1", "new-2").doesNotContain(" old ");
    }

    @Test
    void an_unreadable_since_is_refused_with_the_accepted_forms() {
        assertThat(run("list", "ga", "--since", "yesterday", "-d", dir.toString()))
                .isNotZero();
        assertThat(err.toString()).contains("--since").contains("24h").doesNotContain("at dev.veil");
    }

    @Test
    void show_prints_metadata_but_the_payload_only_on_request() {
        assertThat(run("show", "ga", "1", "-d", dir.toString())).isZero();
        assertThat(out.toString())
                .contains("message id:  old")
                .contains("HTTP 400")
                .doesNotContain("anonymousId");

        assertThat(run("show", "ga", "1", "--payload", "-d", dir.toString())).isZero();
        assertThat(out.toString()).contains("\"anonymousId\"");
    }

    @Test
    void show_of_another_destinations_dead_letter_is_not_found() {
        assertThat(run("show", "ga", "4", "-d", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no dead letter 4 for destination ga");
    }

    @Test
    void replay_queues_each_dead_letter_once_even_when_run_twice() {
        assertThat(run("replay", "ga", "--since", "1d", "-d", dir.toString())).isZero();
        assertThat(out.toString()).contains("queued 2 dead letters for ga");
        assertThat(run("replay", "ga", "-d", dir.toString())).isZero();
        assertThat(out.toString()).contains("queued 1 dead letters for ga");
        assertThat(run("replay", "ga", "-d", dir.toString())).isZero();
        assertThat(out.toString()).contains("queued 0 dead letters");

        try (ReplayQueue q = queue()) {
            assertThat(q.pending("ga", 10)).containsExactlyInAnyOrder(1L, 2L, 3L);
            assertThat(q.pending("mp", 10)).isEmpty();
        }
        assertThat(run("list", "ga", "-d", dir.toString())).isZero();
        assertThat(out.toString()).contains("queued");
    }

    @Test
    void replay_skips_dead_letters_already_replayed_and_honors_ids_and_dry_run() {
        letters.markReplayed(List.of(2L), NOW);
        assertThat(run("replay", "ga", "--dry-run", "-d", dir.toString())).isZero();
        assertThat(out.toString()).contains("would queue 2 dead letters");
        assertThat(run("replay", "ga", "--id", "3", "-d", dir.toString())).isZero();
        try (ReplayQueue q = queue()) {
            assertThat(q.pending("ga", 10)).containsExactly(3L);
        }
    }
}

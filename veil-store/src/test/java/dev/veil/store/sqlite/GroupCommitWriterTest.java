package dev.veil.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.veil.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120) // concurrency tests: a deadlock must fail the test, not hang the build
class GroupCommitWriterTest {

    @TempDir
    Path dir;

    private Path db;
    private GroupCommitWriter writer;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch blocking = new CountDownLatch(1);

    @BeforeEach
    void setUp() throws SQLException {
        db = dir.resolve("t.db");
        SqliteFiles.createPrivate(db);
        Connection c = SqliteFiles.open(db, false);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (v INTEGER NOT NULL)");
        }
        writer =
                new GroupCommitWriter("test", c, () -> SqliteFiles.open(db, false), 100, 1_000, Duration.ofSeconds(10));
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        writer.close();
        pool.shutdownNow();
    }

    private static GroupCommitWriter.Task<Integer> insert(int v) {
        return new GroupCommitWriter.Task<>() {
            @Override
            Integer apply(Connection c) throws SQLException {
                if (v < 0) {
                    throw new SQLException("simulated disk I/O error");
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t(v) VALUES (?)")) {
                    ps.setInt(1, v);
                    return ps.executeUpdate();
                }
            }
        };
    }

    /** Occupies the writer thread until {@link #release} so that later submissions pile up in the queue. */
    private Future<?> blockWriter() throws InterruptedException {
        Future<?> f = pool.submit(() -> writer.submit("block", new GroupCommitWriter.Task<Integer>() {
            @Override
            Integer apply(Connection c) {
                blocking.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 0;
            }
        }));
        blocking.await();
        return f;
    }

    private List<Future<Integer>> submitAll(int... values) {
        List<Future<Integer>> futures = new ArrayList<>();
        for (int v : values) {
            futures.add(pool.submit(() -> writer.submit("insert", insert(v))));
        }
        return futures;
    }

    private void awaitQueued(int n) {
        // The submitting pool threads enqueue behind the blocked writer; wait until all of them have.
        Awaitility.await().until(() -> writer.pending() >= n);
    }

    private long rows() throws SQLException {
        try (Connection c = SqliteFiles.open(db, true);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void commits_requests_queued_during_a_commit_in_one_transaction() throws Exception {
        Future<?> blocker = blockWriter();
        long before = writer.commits();
        List<Future<Integer>> futures = submitAll(1, 2, 3, 4, 5, 6);
        awaitQueued(6);

        release.countDown();
        blocker.get();
        for (Future<Integer> f : futures) {
            assertThat(f.get()).isEqualTo(1);
        }

        assertThat(rows()).isEqualTo(6);
        // one commit for the blocker, one for the six queued requests
        assertThat(writer.commits() - before).isEqualTo(2);
    }

    @Test
    void a_failure_fails_every_request_of_the_group_and_commits_none_of_them() throws Exception {
        Future<?> blocker = blockWriter();
        List<Future<Integer>> futures = submitAll(1, -1, 3);
        awaitQueued(3);

        release.countDown();
        blocker.get();

        for (Future<Integer> f : futures) {
            assertThatThrownBy(f::get)
                    .hasCauseInstanceOf(StoreException.class)
                    .hasMessageContaining("commit of 3 requests failed");
        }
        assertThat(rows()).isZero();
        // the writer keeps serving later requests
        assertThat(writer.submit("insert", insert(7))).isEqualTo(1);
        assertThat(rows()).isEqualTo(1);
    }

    /**
     * On SQLITE_FULL or an I/O error SQLite rolls the transaction back by itself; the driver's rollback then fails
     * and begins no new transaction. The writer must start clean, or later statements commit on their own while
     * every COMMIT fails (stored, yet refused to the client).
     */
    @Test
    void starts_clean_after_sqlite_rolled_back_by_itself() throws Exception {
        assertThatThrownBy(() -> writer.submit("full", new GroupCommitWriter.Task<Integer>() {
                    @Override
                    Integer apply(Connection c) throws SQLException {
                        insert(5).apply(c);
                        try (Statement s = c.createStatement()) {
                            s.execute("ROLLBACK"); // what SQLite does by itself on SQLITE_FULL
                        }
                        throw new SQLException("[SQLITE_FULL] database or disk is full");
                    }
                }))
                .isInstanceOf(StoreException.class);
        assertThat(writer.failing()).isTrue();

        assertThat(writer.submit("insert", insert(7))).isEqualTo(1);
        assertThat(writer.failing()).isFalse();
        // and in a real transaction again: a failing group leaves nothing behind
        assertThatThrownBy(() -> writer.submit("insert then fail", new GroupCommitWriter.Task<Integer>() {
                    @Override
                    Integer apply(Connection c) throws SQLException {
                        insert(8).apply(c);
                        throw new SQLException("simulated disk I/O error");
                    }
                }))
                .isInstanceOf(StoreException.class);
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void fails_fast_with_a_clear_error_when_the_queue_stays_full() throws Exception {
        Connection c = SqliteFiles.open(db, false);
        GroupCommitWriter tiny =
                new GroupCommitWriter("tiny", c, () -> SqliteFiles.open(db, false), 1, 1_000, Duration.ofMillis(50));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        try {
            pool.submit(() -> tiny.submit("block", new GroupCommitWriter.Task<Integer>() {
                @Override
                Integer apply(Connection conn) throws SQLException {
                    started.countDown();
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return 0;
                }
            }));
            started.await();
            Future<Integer> queued = pool.submit(() -> tiny.submit("insert", insert(1)));
            Awaitility.await().until(() -> tiny.pending() == 1);

            assertThatThrownBy(() -> tiny.submit("event log append of 1 events", insert(2)))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("event log append of 1 events: tiny write queue is full");

            go.countDown();
            assertThat(queued.get()).isEqualTo(1);
        } finally {
            go.countDown();
            tiny.close();
        }
    }

    @Test
    void close_commits_what_is_already_queued_then_refuses_more() throws Exception {
        Future<?> blocker = blockWriter();
        List<Future<Integer>> futures = submitAll(1, 2);
        awaitQueued(2);
        Future<?> closing = pool.submit(writer::close);

        release.countDown();
        closing.get();
        blocker.get();

        for (Future<Integer> f : futures) {
            assertThat(f.get()).isEqualTo(1);
        }
        assertThat(rows()).isEqualTo(2);
        assertThatThrownBy(() -> writer.submit("insert", insert(3))).hasMessageContaining("test is closed");
    }
}

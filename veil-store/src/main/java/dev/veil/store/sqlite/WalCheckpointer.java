package dev.veil.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the write-ahead log back into the database file on a thread and connection of its own, so the
 * group-commit writer never does it inside a {@code COMMIT} (SQLite's automatic checkpoint would: every 1,000
 * pages the committing connection writes those pages to the database file and syncs it, which stalls every
 * request waiting on that commit).
 *
 * <p>Durability is unchanged: a transaction is durable once its WAL frames are synced ({@code synchronous=FULL}
 * on the writer); a checkpoint only moves already-durable pages and syncs the database file before the WAL may
 * be reused. Checkpoints are {@code PASSIVE}: they never block the writer or readers; one runs every
 * {@code interval}. Under continuous writes a passive checkpoint rarely catches up with the very end of the WAL,
 * so the writer keeps a large automatic checkpoint threshold as a backstop: when the WAL reaches it, the writer
 * finishes the (by then small) remainder itself and the WAL file is reused from the start. Thread-safe.
 */
final class WalCheckpointer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);

    private final String name;
    private final Connection connection;
    private final Duration interval;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition due = lock.newCondition();
    private final AtomicLong checkpoints = new AtomicLong();
    private final Thread thread;
    private boolean closed; // guarded by lock

    WalCheckpointer(String name, Connection connection, Duration interval) {
        this.name = name;
        this.connection = connection;
        this.interval = interval;
        this.thread =
                Thread.ofPlatform().name(name + "-checkpointer").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Checkpoints run since start (a gauge for tests and metrics). */
    long checkpoints() {
        return checkpoints.get();
    }

    private void run() {
        while (true) {
            lock.lock();
            try {
                if (!closed) {
                    due.awaitNanos(interval.toNanos());
                }
                if (closed) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            checkpoint();
        }
    }

    private void checkpoint() {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next(); // busy flag, frames in the WAL, frames checkpointed: nothing to act on
            checkpoints.incrementAndGet();
        } catch (SQLException e) {
            // Not fatal: the WAL keeps the data and the next checkpoint (or the close) copies it.
            LOG.warn("{}: WAL checkpoint failed: {}", name, e.getMessage());
        }
    }

    /** Stops the thread (after a running checkpoint) and closes its connection. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            due.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SqliteFiles.closeQuietly(connection);
    }
}

package dev.veil.store.sqlite;

import dev.veil.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer thread that owns the write connection and commits queued tasks in groups.
 *
 * <p>Design: callers enqueue a {@link Task} and block on its future. The writer takes the first task, then
 * drains whatever else is already queued (up to {@code maxGroupWeight} events) and applies all of them in one
 * transaction, so a single fsync covers many concurrent requests. Only after {@code COMMIT} returns are the
 * futures completed; if anything in the group fails, the transaction is rolled back and every task of the
 * group fails, so nothing is acknowledged that is not durable. Exclusive tasks (purge chunks) run alone.
 * The group size adapts by itself: under light load a group is one request (lowest latency), under heavy
 * load requests pile up during an fsync and the next group takes them all.
 *
 * <p>After a failed group the writer starts clean: it closes the write connection (SQLite rolls back whatever
 * is still open) and opens a new one. A rollback alone is not enough: on {@code SQLITE_FULL} or an I/O error
 * SQLite has already rolled the transaction back itself, the driver's {@code ROLLBACK} then fails and it never
 * begins the next transaction, so every later statement would commit on its own while each group's
 * {@code COMMIT} fails ("no transaction is active"): events stored but refused to the client. If the new
 * connection cannot be opened, each group tries again and fails until it can.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** A unit of work applied inside the writer's transaction. */
    abstract static class Task<R> {
        final CompletableFuture<R> done = new CompletableFuture<>();

        /** How many events this task writes (counts against the group limit). */
        int weight() {
            return 1;
        }

        /** Whether the task must run in a transaction of its own. */
        boolean exclusive() {
            return false;
        }

        /** Applies the task; runs on the writer thread inside an open transaction. */
        abstract R apply(Connection c) throws SQLException;

        /** Called on the writer thread after the commit, before the caller is released. */
        void committed(R result) {}
    }

    private static final Task<Void> STOP = new Task<>() {
        @Override
        Void apply(Connection c) {
            throw new UnsupportedOperationException();
        }
    };

    /** Opens a write connection (with the store's settings) for the writer to start clean with. */
    @FunctionalInterface
    interface Opener {
        Connection open();
    }

    private final String name;
    private final Opener opener;
    private @Nullable Connection connection; // confined to the writer thread once it runs
    private final BlockingQueue<Task<?>> queue;
    private final int maxGroupWeight;
    private final Duration enqueueTimeout;
    private final ReadWriteLock closeLock = new ReentrantReadWriteLock();
    private final Thread thread;
    private final AtomicLong commits = new AtomicLong();
    // Written only by the writer thread, read by metrics: volatile longs are enough (no read-modify-write races).
    private volatile long requests;
    private volatile long weight;
    private volatile long applyNanos;
    private volatile long commitNanos;
    private volatile int largestGroup;
    private volatile boolean failing;
    private boolean closed;

    /**
     * @param connection the first write connection (the writer owns and closes it)
     * @param opener opens a new write connection after a failed group
     */
    GroupCommitWriter(
            String name,
            Connection connection,
            Opener opener,
            int queueCapacity,
            int maxGroupWeight,
            Duration enqueueTimeout) {
        this.name = name;
        this.opener = opener;
        this.connection = connection;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxGroupWeight = maxGroupWeight;
        this.enqueueTimeout = enqueueTimeout;
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            throw new StoreException(name + ": cannot start transactions: " + e.getMessage(), e);
        }
        this.thread = Thread.ofPlatform().name(name + "-writer").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Enqueues {@code task} and blocks until it is committed; rethrows its failure as {@link StoreException}. */
    <R> R submit(String operation, Task<R> task) {
        closeLock.readLock().lock();
        try {
            if (closed) {
                throw new StoreException(operation + ": " + name + " is closed");
            }
            if (!queue.offer(task, enqueueTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StoreException(operation + ": " + name + " write queue is full (" + (queue.size())
                        + " pending requests after waiting " + enqueueTimeout.toMillis() + " ms)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(operation + ": interrupted before the request was queued; nothing was written");
        } finally {
            closeLock.readLock().unlock();
        }
        try {
            return task.done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(operation + ": interrupted while waiting for the commit; outcome unknown");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException se) {
                throw new StoreException(operation + ": " + se.getMessage(), se);
            }
            throw new StoreException(operation + ": " + e.getCause(), e.getCause());
        }
    }

    private void run() {
        List<Task<?>> group = new ArrayList<>();
        try {
            while (true) {
                Task<?> first = queue.take();
                if (first == STOP) {
                    return;
                }
                group.add(first);
                int weight = first.weight();
                while (!first.exclusive() && weight < maxGroupWeight) {
                    Task<?> next = queue.peek(); // single consumer: peek then poll yields the same task
                    if (next == null || next == STOP || next.exclusive()) {
                        break;
                    }
                    queue.poll();
                    group.add(next);
                    weight += next.weight();
                }
                commit(group);
                group.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("{} writer stopped unexpectedly: {}", name, e.getClass().getName());
            failAll(
                    group,
                    new StoreException(name + " writer stopped: " + e.getClass().getSimpleName(), e));
            throw e;
        } finally {
            List<Task<?>> rest = new ArrayList<>();
            queue.drainTo(rest);
            rest.remove(STOP);
            failAll(rest, new StoreException(name + " is closed"));
        }
    }

    private void commit(List<Task<?>> group) {
        List<@Nullable Object> results = new ArrayList<>(group.size());
        try {
            Connection c = connection();
            long t0 = System.nanoTime();
            int groupWeight = 0;
            for (Task<?> task : group) {
                results.add(task.apply(c));
                groupWeight += task.weight();
            }
            long t1 = System.nanoTime();
            c.commit();
            long t2 = System.nanoTime();
            applyNanos += t1 - t0;
            commitNanos += t2 - t1;
            requests += group.size();
            weight += groupWeight;
            largestGroup = Math.max(largestGroup, groupWeight);
            commits.incrementAndGet();
        } catch (SQLException | RuntimeException e) {
            if (!failing) {
                LOG.warn(
                        "{}: commit of {} requests failed, nothing of it acknowledged; starting clean: {}",
                        name,
                        group.size(),
                        e.getClass().getSimpleName());
            }
            failing = true;
            startClean();
            failAll(group, new StoreException("commit of " + group.size() + " requests failed: " + e.getMessage(), e));
            return;
        }
        if (failing) {
            failing = false;
            LOG.info("{}: commits succeed again", name);
        }
        for (int i = 0; i < group.size(); i++) {
            complete(group.get(i), results.get(i));
        }
    }

    /** The write connection, opening a new one if the last attempt to start clean could not. */
    private Connection connection() throws SQLException {
        Connection c = connection;
        if (c == null) {
            c = opener.open();
            try {
                c.setAutoCommit(false);
            } catch (SQLException e) {
                SqliteFiles.closeQuietly(c);
                throw e;
            }
            connection = c;
        }
        return c;
    }

    /**
     * Drops the write connection: closing it rolls back what SQLite still holds, whether or not SQLite already
     * rolled back by itself. The next group opens a new one.
     */
    private void startClean() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            SqliteFiles.closeQuietly(c);
        }
        try {
            connection();
        } catch (SQLException | RuntimeException e) {
            LOG.warn(
                    "{}: cannot open a new write connection yet: {}",
                    name,
                    e.getClass().getSimpleName());
        }
    }

    @SuppressWarnings("unchecked")
    private static <R> void complete(Task<R> task, @Nullable Object result) {
        try {
            task.committed((R) result);
        } finally {
            task.done.complete((R) result);
        }
    }

    /** Number of requests waiting for the writer (a gauge for metrics). */
    int pending() {
        return queue.size();
    }

    /** Whether the last group failed to commit (until a group commits again). */
    boolean failing() {
        return failing;
    }

    /** Number of successful commits (transactions), for tests and metrics. */
    long commits() {
        return commits.get();
    }

    /** Cumulative figures of the committed groups, for metrics. */
    WriterStats stats() {
        return new WriterStats(commits.get(), requests, weight, applyNanos, commitNanos, largestGroup);
    }

    private static void failAll(List<Task<?>> tasks, StoreException e) {
        for (Task<?> t : tasks) {
            t.done.completeExceptionally(e);
        }
    }

    /** Commits everything already queued, stops the thread and closes the write connection. */
    @Override
    public void close() {
        closeLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.put(STOP);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeLock.writeLock().unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection c = connection;
        if (c != null) {
            SqliteFiles.closeQuietly(c);
        }
    }
}

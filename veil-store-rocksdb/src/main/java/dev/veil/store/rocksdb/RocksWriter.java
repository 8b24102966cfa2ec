package dev.veil.store.rocksdb;

import dev.veil.store.StoreException;
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
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer thread that commits queued tasks in groups, each group one fsynced RocksDB write batch.
 *
 * <p>Design (as the SQLite log's {@code GroupCommitWriter}): callers enqueue a {@link Task} and block on its
 * future. The writer takes the first task, then whatever else is already queued (up to {@code maxGroupWeight}
 * events), lets every task add to one {@link WriteGroup}, and writes its batch with {@code sync=true}. Only after
 * that write returns are the futures completed and the group's state published; if anything fails, every task of
 * the group fails and nothing of it is acknowledged. Exclusive tasks (purge chunks) run alone.
 *
 * <p>After a failed write (a full disk, an I/O error) RocksDB refuses every later write until the database is
 * reopened, so the writer reopens it, right away and then before each group until that succeeds; the state is
 * loaded again from what the reopen recovered. Offsets of a failed group are never given out again, so a batch
 * that was written after all (the WAL record complete, the fsync reported failed) cannot be overwritten.
 */
final class RocksWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RocksWriter.class);
    private static final long REOPEN_INTERVAL_NANOS =
            java.time.Duration.ofMillis(250).toNanos();

    /** A unit of work added to the writer's group. */
    abstract static class Task<R> {
        final CompletableFuture<R> done = new CompletableFuture<>();

        /** How many events this task writes (counts against the group limit). */
        int weight() {
            return 1;
        }

        /** Whether the task must be a group of its own. */
        boolean exclusive() {
            return false;
        }

        /** Adds the task's writes to the group; runs on the writer thread. */
        abstract R apply(WriteGroup g) throws RocksDBException;
    }

    private static final Task<Void> STOP = new Task<>() {
        @Override
        Void apply(WriteGroup g) {
            throw new UnsupportedOperationException();
        }
    };

    private final RocksDatabase database;
    private final LogState state;
    private final BlockingQueue<Task<?>> queue;
    private final int maxGroupWeight;
    private final Duration enqueueTimeout;
    private final ReadWriteLock closeLock = new ReentrantReadWriteLock();
    private final Thread thread;
    private final AtomicLong commits = new AtomicLong();
    private volatile long events;
    private volatile long writeNanos;
    private volatile boolean failing;
    private boolean needsReopen;
    private long lastReopenAttempt = System.nanoTime() - REOPEN_INTERVAL_NANOS;
    private String lastReopenFailure = "";
    private boolean closed;

    RocksWriter(
            RocksDatabase database, LogState state, int queueCapacity, int maxGroupWeight, Duration enqueueTimeout) {
        this.database = database;
        this.state = state;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxGroupWeight = maxGroupWeight;
        this.enqueueTimeout = enqueueTimeout;
        this.thread = Thread.ofPlatform().name("event-log-writer").daemon(true).unstarted(this::run);
        thread.start();
    }

    /** Enqueues {@code task} and blocks until it is durable; rethrows its failure as {@link StoreException}. */
    <R> R submit(String operation, Task<R> task) {
        closeLock.readLock().lock();
        try {
            if (closed) {
                throw new StoreException(operation + ": the event log is closed");
            }
            if (!queue.offer(task, enqueueTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StoreException(operation + ": the event log write queue is full (" + queue.size()
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
            throw new StoreException(operation + ": interrupted while waiting for the write; outcome unknown");
        } catch (ExecutionException e) {
            throw new StoreException(operation + ": " + e.getCause().getMessage(), e.getCause());
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
            LOG.error("event log writer stopped unexpectedly: {}", e.getClass().getName());
            failAll(
                    group,
                    new StoreException(
                            "event log writer stopped: " + e.getClass().getSimpleName(), e));
            throw e;
        } finally {
            List<Task<?>> rest = new ArrayList<>();
            queue.drainTo(rest);
            rest.remove(STOP);
            failAll(rest, new StoreException("the event log is closed"));
        }
    }

    private void commit(List<Task<?>> tasks) {
        List<@Nullable Object> results = new ArrayList<>(tasks.size());
        WriteGroup g = null;
        try {
            if (needsReopen && !reopen()) {
                failAll(
                        tasks,
                        new StoreException("the event log cannot write: reopening it after a failed write did"
                                + " not succeed yet (" + lastReopenFailure + "); nothing was written"));
                return;
            }
            g = state.begin(database);
            int weight = 0;
            for (Task<?> task : tasks) {
                results.add(task.apply(g));
                weight += task.weight();
            }
            g.finish(state.head());
            if (g.batch().count() > 0) {
                long t0 = System.nanoTime();
                database.db().write(database.syncWrites(), g.batch());
                writeNanos += System.nanoTime() - t0;
            }
            state.publish(g);
            events += weight;
            commits.incrementAndGet();
        } catch (RocksDBException | RuntimeException e) {
            if (!failing) {
                LOG.warn(
                        "event log: write of {} requests failed, nothing of it acknowledged; reopening: {}",
                        tasks.size(),
                        e instanceof RocksDBException r && r.getStatus() != null
                                ? r.getStatus().getCodeString()
                                : e.getClass().getSimpleName());
            }
            failing = true;
            if (g != null) {
                state.burn(g);
            }
            if (e instanceof RocksDBException) {
                needsReopen = true;
                reopen();
            }
            failAll(tasks, new StoreException("write of " + tasks.size() + " requests failed: " + e.getMessage(), e));
            return;
        } finally {
            if (g != null) {
                g.close();
            }
        }
        if (failing) {
            failing = false;
            LOG.info("event log: writes succeed again");
        }
        for (int i = 0; i < tasks.size(); i++) {
            complete(tasks.get(i), results.get(i));
        }
    }

    /**
     * Reopens the database and loads the state it recovered; true when it is open again. Tried at most every
     * {@link #REOPEN_INTERVAL_NANOS} (a reopen closes and opens every file), so a full disk under load does not turn
     * into a reopen per request; the groups in between fail at once.
     */
    private boolean reopen() {
        long now = System.nanoTime();
        if (now - lastReopenAttempt < REOPEN_INTERVAL_NANOS) {
            return false;
        }
        lastReopenAttempt = now;
        try {
            database.reopen();
            state.load(database.db(), database);
            needsReopen = false;
            lastReopenFailure = "";
            return true;
        } catch (RocksDBException | RuntimeException e) {
            String why = e instanceof RocksDBException r && r.getStatus() != null
                    ? r.getStatus().getCodeString()
                    : e.getClass().getSimpleName();
            if (lastReopenFailure.isEmpty()) {
                LOG.warn("event log: cannot reopen yet, trying again before the next writes: {}", why);
            }
            lastReopenFailure = why;
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static <R> void complete(Task<R> task, @Nullable Object result) {
        task.done.complete((R) result);
    }

    private static void failAll(List<Task<?>> tasks, StoreException e) {
        for (Task<?> t : tasks) {
            t.done.completeExceptionally(e);
        }
    }

    /** Number of requests waiting for the writer (a gauge for metrics). */
    int pending() {
        return queue.size();
    }

    /** Whether the last group failed to write (until a group is written again). */
    boolean failing() {
        return failing;
    }

    /** Number of groups written (fsyncs), for tests and metrics. */
    long commits() {
        return commits.get();
    }

    /** Events (weights) committed since open. */
    long events() {
        return events;
    }

    /** Time spent in the durable write (WAL append and fsync), in nanoseconds. */
    long writeNanos() {
        return writeNanos;
    }

    /** Writes everything already queued, then stops the thread. */
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
    }
}

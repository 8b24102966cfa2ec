package dev.veil.server.testing;

import dev.veil.core.event.RawEvent;
import dev.veil.store.EventLog;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.StoreException;
import dev.veil.store.sqlite.SqliteEventLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The event log of server tests: the real {@link SqliteEventLog} (in a temporary directory unless given one), so
 * dedup expiry, purge and cursors behave exactly as in production, plus what tests need on top: {@link
 * #failAppends} to act as a broken disk, {@link #events()} and {@link #commits()}. It passes {@code
 * EventLogContract} ({@code TestEventLogContractTest}). {@link #close()} closes the log and deletes a temporary
 * directory.
 */
public final class TestEventLog implements EventLog {

    private final SqliteEventLog log;
    private final @Nullable Path ownedDir;
    private final List<Long> commits = new ArrayList<>();
    private volatile boolean failing;
    private final java.util.Set<String> failRegistrationOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A fresh log in a new temporary directory, with default options and a random master key. */
    public TestEventLog() {
        this(EventLogOptions.defaults());
    }

    /** A fresh log in a new temporary directory, with a random master key. */
    public TestEventLog(EventLogOptions options) {
        this(temporaryDirectory(), MasterKey.random(), options, true);
    }

    /** Opens (or reopens) the log stored under {@code dir}; the directory is the caller's. */
    public static TestEventLog open(Path dir, MasterKey key, EventLogOptions options) {
        return new TestEventLog(dir, key, options, false);
    }

    private TestEventLog(Path dir, MasterKey key, EventLogOptions options, boolean owned) {
        this.log = SqliteEventLog.open(dir, key, options);
        this.ownedDir = owned ? dir : null;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("veil-test-log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes every following append, head lookup and purge fail, as a broken disk would. */
    public void failAppends(boolean value) {
        failing = value;
    }

    private void failIfBroken(String operation) {
        if (failing) {
            throw new StoreException(operation + ": disk unavailable (test)");
        }
    }

    @Override
    public List<AppendResult> append(List<RawEvent> batch) {
        failIfBroken("append");
        return log.append(batch);
    }

    /** Every event in the log, in offset order. */
    public List<RawEvent> events() {
        List<RawEvent> out = new ArrayList<>();
        long after = 0;
        List<LogEntry> page;
        while (!(page = log.read(after, 1_000)).isEmpty()) {
            for (LogEntry e : page) {
                out.add(e.event());
                after = e.offset();
            }
        }
        return out;
    }

    @Override
    public List<LogEntry> read(long afterOffset, int max) {
        return log.read(afterOffset, max);
    }

    @Override
    public long headOffset() {
        failIfBroken("head");
        return log.headOffset();
    }

    @Override
    public boolean writable() {
        return !failing && log.writable();
    }

    @Override
    public long size() {
        return log.size();
    }

    @Override
    public long cursor(String consumerId) {
        return log.cursor(consumerId);
    }

    @Override
    public void commitCursor(String consumerId, long offset) {
        log.commitCursor(consumerId, offset);
        synchronized (commits) {
            commits.add(offset);
        }
    }

    /** Every cursor offset committed, in order (all consumers). */
    public List<Long> commits() {
        synchronized (commits) {
            return List.copyOf(commits);
        }
    }

    /** Makes the next registration of {@code consumerId} fail, as a full disk would (a start-up fault). */
    public void failNextRegistration(String consumerId) {
        failRegistrationOnce.add(consumerId);
    }

    @Override
    public void registerConsumer(String consumerId, long startOffset) {
        if (failRegistrationOnce.remove(consumerId)) {
            throw new StoreException("register consumer: database or disk is full (test)");
        }
        log.registerConsumer(consumerId, startOffset);
    }

    @Override
    public void removeConsumer(String consumerId) {
        log.removeConsumer(consumerId);
    }

    @Override
    public Map<String, Long> consumers() {
        return log.consumers();
    }

    @Override
    public long purge(Instant cutoff) {
        failIfBroken("purge");
        return log.purge(cutoff);
    }

    @Override
    public void close() {
        log.close();
        if (ownedDir != null) {
            deleteTree(ownedDir);
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}

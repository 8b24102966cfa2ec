package dev.veil.server.testing;

import dev.veil.core.event.RawEvent;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.MasterKey;
import dev.veil.store.sqlite.SqliteDeadLetterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The dead-letter store of server tests: the real {@link SqliteDeadLetterStore} (in a temporary directory unless
 * given one), plus {@link #all()}. It passes {@code DeadLetterStoreContract} ({@code
 * TestDeadLetterStoreContractTest}).
 */
public final class TestDeadLetterStore implements DeadLetterStore, AutoCloseable {

    private final SqliteDeadLetterStore store;
    private final @Nullable Path ownedDir;
    private final Set<String> destinations = ConcurrentHashMap.newKeySet();

    /** A fresh store in a new temporary directory, with a random master key. */
    public TestDeadLetterStore() {
        this(temporaryDirectory(), MasterKey.random(), true);
    }

    /** Opens (or reopens) the store under {@code dir}; the directory is the caller's. */
    public static TestDeadLetterStore open(Path dir, MasterKey key) {
        return new TestDeadLetterStore(dir, key, false);
    }

    private TestDeadLetterStore(Path dir, MasterKey key, boolean owned) {
        this.store = SqliteDeadLetterStore.open(dir, key);
        this.ownedDir = owned ? dir : null;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("veil-test-dlq");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void add(String destinationId, RawEvent event, String reason, Instant failedAt) {
        destinations.add(destinationId);
        store.add(destinationId, event, reason, failedAt);
    }

    @Override
    public List<DeadLetter> list(String destinationId, Instant since, int max) {
        return store.list(destinationId, since, max);
    }

    /** Every dead letter added through this instance's destinations, in id order. */
    public List<DeadLetter> all() {
        return destinations.stream()
                .flatMap(d -> store.list(d, Instant.EPOCH, Integer.MAX_VALUE).stream())
                .sorted(Comparator.comparingLong(DeadLetter::id))
                .toList();
    }

    @Override
    public Optional<DeadLetter> get(long id) {
        return store.get(id);
    }

    @Override
    public long count(String destinationId) {
        return store.count(destinationId);
    }

    @Override
    public void markReplayed(List<Long> ids, Instant replayedAt) {
        store.markReplayed(ids, replayedAt);
    }

    @Override
    public long purge(Instant cutoff) {
        return store.purge(cutoff);
    }

    @Override
    public void close() {
        store.close();
        if (ownedDir != null) {
            TestEventLog.deleteTree(ownedDir);
        }
    }
}

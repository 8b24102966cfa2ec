package dev.veil.server.delivery;

import dev.veil.core.event.RawEvent;
import dev.veil.store.DeadLetterStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A test dead-letter store in memory, until the SQLite one is on main. */
public final class InMemoryDeadLetterStore implements DeadLetterStore {
    private final List<DeadLetter> letters = new ArrayList<>();

    @Override
    public synchronized void add(String destinationId, RawEvent event, String reason, Instant failedAt) {
        letters.add(new DeadLetter(letters.size() + 1, destinationId, event, reason, failedAt, null));
    }

    @Override
    public synchronized List<DeadLetter> list(String destinationId, Instant since, int max) {
        return letters.stream()
                .filter(d ->
                        d.destinationId().equals(destinationId) && !d.failedAt().isBefore(since))
                .limit(max)
                .toList();
    }

    public synchronized List<DeadLetter> all() {
        return List.copyOf(letters);
    }

    @Override
    public synchronized Optional<DeadLetter> get(long id) {
        return letters.stream().filter(d -> d.id() == id).findFirst();
    }

    @Override
    public synchronized long count(String destinationId) {
        return letters.stream()
                .filter(d -> d.destinationId().equals(destinationId) && d.replayedAt() == null)
                .count();
    }

    @Override
    public synchronized void markReplayed(List<Long> ids, Instant replayedAt) {
        letters.replaceAll(d -> ids.contains(d.id())
                ? new DeadLetter(d.id(), d.destinationId(), d.event(), d.reason(), d.failedAt(), replayedAt)
                : d);
    }

    @Override
    public synchronized long purge(Instant cutoff) {
        return 0;
    }
}

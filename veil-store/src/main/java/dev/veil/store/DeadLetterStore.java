package dev.veil.store;

import dev.veil.core.event.RawEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Events a destination could not deliver, kept (raw event encrypted at rest) with the reason so an operator
 * can inspect and replay them. Nothing that fails delivery is ever silently dropped: it lands here.
 *
 * <p>Thread-safe.
 */
public interface DeadLetterStore {

    /** Durably records that {@code event} could not be delivered to {@code destinationId}. */
    void add(String destinationId, RawEvent event, String reason, Instant failedAt);

    /** Dead letters of a destination failed at or after {@code since}, oldest first, at most {@code max}. */
    List<DeadLetter> list(String destinationId, Instant since, int max);

    /** One dead letter by id. */
    Optional<DeadLetter> get(long id);

    /** Counts dead letters per destination that have not been replayed. */
    long count(String destinationId);

    /** Marks dead letters as replayed (they were handed back to delivery). */
    void markReplayed(List<Long> ids, Instant replayedAt);

    /** Deletes dead letters failed before {@code cutoff}; returns how many. */
    long purge(Instant cutoff);

    /**
     * @param id store id
     * @param destinationId the destination
     * @param event the raw event (decrypted)
     * @param reason PHI-free reason (vendor message or validation rule)
     * @param failedAt when delivery gave up
     * @param replayedAt when it was replayed, if it was
     */
    record DeadLetter(
            long id,
            String destinationId,
            RawEvent event,
            String reason,
            Instant failedAt,
            @org.jspecify.annotations.Nullable Instant replayedAt) {}
}

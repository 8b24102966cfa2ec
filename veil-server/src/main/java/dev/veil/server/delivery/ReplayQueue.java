package dev.veil.server.delivery;

import java.time.Instant;
import java.util.List;

/**
 * Dead letters an operator handed back to delivery, waiting for their destination's worker. A dead letter is
 * queued at most once (its id is the key), so replaying twice never sends twice; a worker removes it only after
 * its fate is final again, so a crash mid-replay sends it again (vendors deduplicate by message id).
 *
 * <p>Thread-safe; shared by the engine and the offline {@code dlq replay} command (in turn, not at once).
 */
public interface ReplayQueue extends AutoCloseable {

    /** Queues dead letters for {@code destinationId}; returns how many were not already queued. */
    int enqueue(String destinationId, List<Long> deadLetterIds, Instant requestedAt);

    /** Queued dead-letter ids of a destination, oldest request first, at most {@code max}. */
    List<Long> pending(String destinationId, int max);

    /** Whether a dead letter is queued. */
    boolean isQueued(long deadLetterId);

    /** Removes dead letters whose replay has a final fate. */
    void done(List<Long> deadLetterIds);

    @Override
    void close();
}

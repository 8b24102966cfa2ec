package dev.veil.server.delivery.cli;

import dev.veil.server.delivery.ReplayQueue;
import dev.veil.store.DeadLetterStore;
import java.nio.file.Path;

/**
 * The stores the {@code dlq} command works on, opened from a data directory.
 *
 * @param deadLetters the dead letters
 * @param replays the replay queue the delivery engine reads
 * @param closer closes both
 */
public record DlqStores(DeadLetterStore deadLetters, ReplayQueue replays, AutoCloseable closer)
        implements AutoCloseable {

    @Override
    public void close() throws Exception {
        closer.close();
    }

    /** Opens the stores of a data directory. */
    @FunctionalInterface
    public interface Opener {
        DlqStores open(Path dataDir);
    }
}

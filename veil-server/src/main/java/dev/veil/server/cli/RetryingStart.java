package dev.veil.server.cli;

import dev.veil.server.Readiness;
import dev.veil.server.config.ConfigException;
import dev.veil.store.StoreException;
import java.time.Duration;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start of delivery in a process that already serves ingest ({@code serve} and {@code demo}): a fault while
 * starting (e.g. {@code SQLITE_FULL} in the config store) leaves ingest serving, {@code /readyz} answering 503
 * with the reason, and tries again with a growing pause (1 s up to 30 s) until it succeeds, when {@code /readyz}
 * turns ready, or the process is asked to stop. Only a {@link ConfigException} (an invalid policy) ends it.
 */
public final class RetryingStart {

    private static final Logger LOG = LoggerFactory.getLogger(RetryingStart.class);

    static final Duration RETRY_FIRST = Duration.ofSeconds(1);
    static final Duration RETRY_MAX = Duration.ofSeconds(30);

    private RetryingStart() {}

    /**
     * Runs {@code attempt} until it returns, marking {@code readiness} ready then; returns null when {@code stop}
     * came first. Each failed attempt must leave nothing running behind (threads, files, meters).
     */
    public static <T> @Nullable T until(Supplier<T> attempt, Readiness readiness, StopSignal stop)
            throws InterruptedException {
        Duration pause = RETRY_FIRST;
        while (true) {
            try {
                T started = attempt.get();
                readiness.markReady();
                return started;
            } catch (ConfigException e) {
                throw e;
            } catch (RuntimeException e) {
                // Store messages name the store and the SQLite error, never event content.
                String why = e instanceof StoreException
                        ? "storage failed: " + e.getMessage()
                        : e.getClass().getName();
                readiness.markNotReady("delivery start-up failed ("
                        + (e instanceof StoreException
                                ? "storage failed"
                                : e.getClass().getSimpleName()) + "); retrying every " + pause.toSeconds()
                        + " s or less");
                LOG.error(
                        "delivery start-up failed; ingest keeps serving, /readyz answers 503, retrying in {} s: {}",
                        pause.toSeconds(),
                        why);
                if (stop.await(pause)) {
                    return null;
                }
                pause = pause.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : pause.multipliedBy(2);
            }
        }
    }
}

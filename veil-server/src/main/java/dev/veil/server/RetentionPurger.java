package dev.veil.server;

import dev.veil.store.EventLog;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the event log's retention purge periodically: events every consumer has passed and received more than
 * {@code retention} ago are deleted. One daemon thread; a failed purge is logged and retried next period.
 */
public final class RetentionPurger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurger.class);

    private final EventLog log;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService timer;

    private RetentionPurger(EventLog log, Duration retention, Clock clock) {
        this.log = log;
        this.retention = retention;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "veil-retention");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts purging every {@code period}, the first time after one minute. */
    public static RetentionPurger start(EventLog log, Duration retention, Duration period, Clock clock) {
        RetentionPurger p = new RetentionPurger(log, retention, clock);
        p.timer.scheduleWithFixedDelay(p::purgeOnce, 60, period.toSeconds(), TimeUnit.SECONDS);
        return p;
    }

    /** One purge pass; returns the number of events deleted (0 when it failed). */
    long purgeOnce() {
        try {
            long deleted = log.purge(clock.instant().minus(retention));
            if (deleted > 0) {
                LOG.info("retention: purged {} events older than {}", deleted, retention);
            }
            return deleted;
        } catch (RuntimeException e) {
            LOG.warn("retention: purge failed ({}): {}", e.getClass().getSimpleName(), e.getMessage());
            return 0;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

package dev.veil.server;

import dev.veil.store.DeadLetterStore;
import dev.veil.store.EventLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the retention purge periodically: events every consumer has passed and received more than {@code
 * retention} ago are deleted from the event log, and dead letters that failed more than {@code retention} ago are
 * deleted from the dead-letter store. One daemon thread; a failed purge is logged and retried next period. Started
 * by the delivery pipeline, so both {@code serve} and {@code demo} run it; counted on {@code /metrics} as {@code
 * veil_retention_purged_total{store="events"|"dead_letters"}}.
 */
public final class RetentionPurger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurger.class);

    /** Bounds of the purge period, which is a tenth of the retention. */
    static final Duration MIN_PERIOD = Duration.ofSeconds(1);

    static final Duration MAX_PERIOD = Duration.ofHours(1);

    /** The first purge runs at most this long after start (a server restarted often still purges). */
    static final Duration MAX_FIRST_DELAY = Duration.ofMinutes(1);

    private final EventLog log;
    private final DeadLetterStore deadLetters;
    private final Duration retention;
    private final Clock clock;
    private final Counter purgedEvents;
    private final Counter purgedDeadLetters;
    private final ScheduledExecutorService timer;

    private RetentionPurger(
            EventLog log, DeadLetterStore deadLetters, Duration retention, Clock clock, MeterRegistry registry) {
        this.log = log;
        this.deadLetters = deadLetters;
        this.retention = retention;
        this.clock = clock;
        this.purgedEvents = Counter.builder("veil.retention.purged")
                .description("events and dead letters deleted by the retention purge")
                .tag("store", "events")
                .register(registry);
        this.purgedDeadLetters = Counter.builder("veil.retention.purged")
                .description("events and dead letters deleted by the retention purge")
                .tag("store", "dead_letters")
                .register(registry);
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("veil-retention").daemon().factory());
    }

    /**
     * Starts purging every {@link #period(Duration) tenth of the retention} (between one second and one hour), the
     * first time after one period or one minute, whichever is shorter.
     */
    public static RetentionPurger start(
            EventLog log, DeadLetterStore deadLetters, Duration retention, Clock clock, MeterRegistry registry) {
        RetentionPurger p = new RetentionPurger(log, deadLetters, retention, clock, registry);
        Duration period = period(retention);
        Duration first = period.compareTo(MAX_FIRST_DELAY) < 0 ? period : MAX_FIRST_DELAY;
        p.timer.scheduleWithFixedDelay(p::purgeOnce, first.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return p;
    }

    /** How often the purge runs for a retention: a tenth of it, at least one second and at most one hour. */
    static Duration period(Duration retention) {
        Duration tenth = retention.dividedBy(10);
        if (tenth.compareTo(MIN_PERIOD) < 0) {
            return MIN_PERIOD;
        }
        return tenth.compareTo(MAX_PERIOD) > 0 ? MAX_PERIOD : tenth;
    }

    /** One purge pass over both stores; returns the number of events and dead letters deleted. */
    Purged purgeOnce() {
        var cutoff = clock.instant().minus(retention);
        long events = 0;
        long letters = 0;
        try {
            events = log.purge(cutoff);
            purgedEvents.increment(events);
        } catch (RuntimeException e) {
            LOG.warn("retention: event purge failed ({}): {}", e.getClass().getSimpleName(), e.getMessage());
        }
        try {
            letters = deadLetters.purge(cutoff);
            purgedDeadLetters.increment(letters);
        } catch (RuntimeException e) {
            LOG.warn(
                    "retention: dead-letter purge failed ({}): {}", e.getClass().getSimpleName(), e.getMessage());
        }
        if (events > 0 || letters > 0) {
            LOG.info("retention: purged {} events and {} dead letters older than {}", events, letters, retention);
        }
        return new Purged(events, letters);
    }

    /** What one pass deleted. */
    record Purged(long events, long deadLetters) {}

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

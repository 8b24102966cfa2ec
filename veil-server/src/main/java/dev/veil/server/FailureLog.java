package dev.veil.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Logs a repeating failure without flooding the log: the first failure of an episode at ERROR with its reason,
 * then at most one summary per interval (how many more failed, the last reason), and one line when an interval
 * passes without a failure (the episode ended). A disk-full episode that refused 20,000 appends thus writes a
 * handful of lines instead of 20,000. Reasons must be PHI-free (store messages name the store and the error).
 * Thread-safe.
 */
public final class FailureLog implements AutoCloseable {

    private final Logger log;
    private final String what;
    private final Duration interval;
    private final @Nullable ScheduledExecutorService timer;
    private boolean inEpisode;
    private long since;
    private @Nullable String lastReason;

    private FailureLog(Logger log, String what, Duration interval, boolean scheduled) {
        this.log = log;
        this.what = what;
        this.interval = interval;
        this.timer = scheduled
                ? Executors.newSingleThreadScheduledExecutor(
                        Thread.ofPlatform().name("veil-failure-log").daemon().factory())
                : null;
        if (timer != null) {
            long ms = interval.toMillis();
            timer.scheduleAtFixedRate(this::summarize, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Summarizes every {@code interval} on its own daemon thread (closed with {@link #close()}). */
    public static FailureLog every(Logger log, String what, Duration interval) {
        return new FailureLog(log, what, interval, true);
    }

    /** Summarizes only when {@link #summarize()} is called (tests). */
    static FailureLog manual(Logger log, String what, Duration interval) {
        return new FailureLog(log, what, interval, false);
    }

    /** One failure; logged at once when it starts an episode, else counted for the next summary. */
    public void failed(String reason) {
        boolean first;
        synchronized (this) {
            first = !inEpisode;
            if (first) {
                inEpisode = true;
            } else {
                since++;
            }
            lastReason = reason;
        }
        if (first) {
            log.error("{} failed: {} (further failures are summarized every {} s)", what, reason, interval.toSeconds());
        }
    }

    /** Logs the failures counted since the last summary, or that the episode ended when there were none. */
    public void summarize() {
        long n;
        String reason;
        synchronized (this) {
            if (!inEpisode) {
                return;
            }
            n = since;
            reason = lastReason;
            since = 0;
            if (n == 0) {
                inEpisode = false;
            }
        }
        if (n > 0) {
            log.error("{} failed {} more times in the last {} s; last: {}", what, n, interval.toSeconds(), reason);
        } else {
            log.info("{}: no failure in the last {} s", what, interval.toSeconds());
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        summarize();
    }
}

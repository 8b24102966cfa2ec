package dev.veil.server.delivery;

import dev.veil.api.SafeEvent;
import dev.veil.core.engine.Decision;
import dev.veil.core.engine.PrivacyEngine;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Prepared;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.EventLog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one destination's events: its own thread, cursor ({@code dest:<id>}), HTTP client, request pool and
 * circuit breaker, so a slow or dead vendor never holds up another destination.
 *
 * <p>Design note. The worker reads a batch of log entries after its cursor, settles the fate of every event in
 * it (delivered, dropped by policy, skipped by the connector, or dead-lettered; kept in a {@link BatchLedger} and
 * counted once when the batch is over), and only then commits the cursor past the batch. Requests of a batch go
 * out in parallel (at most {@code maxConcurrency}) through the {@link RequestSender}; a request that must be
 * retried holds the batch until it succeeds, fails for good, or its retry window ends (then its events are
 * dead-lettered), and a destination whose credentials are refused holds it, paused, until they are fixed. A
 * crash or shutdown before the commit resends the batch on restart: at-least-once, and connectors use the
 * message id as the vendor's dedup key, so a resend never double counts.
 */
final class DestinationWorker {
    private static final Logger LOG = LoggerFactory.getLogger(DestinationWorker.class);

    private final String id;
    private final String consumerId;
    private final Supplier<@Nullable DestinationPolicy> policy;
    private final Connector connector;
    private final EventLog log;
    private final DeadLetterStore deadLetters;
    private final ReplayQueue replays;
    private final PrivacyEngine engine;
    private final DeliverySettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;
    private final CircuitBreaker breaker;
    private final DeliveryMetrics metrics;
    private final DeliveryObserver observer;
    private final AuthPause pause;
    private final RequestSender sender;
    private final ExecutorService requests;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean stopping;

    DestinationWorker(
            String id,
            Supplier<@Nullable DestinationPolicy> policy,
            Connector connector,
            EventLog log,
            DeadLetterStore deadLetters,
            ReplayQueue replays,
            PrivacyEngine engine,
            DeliverySettings settings,
            Clock clock,
            Sleeper sleeper,
            Backoff backoff,
            DeliveryMetrics metrics,
            DeliveryObserver observer) {
        this.id = id;
        this.consumerId = consumerId(id);
        this.policy = policy;
        this.connector = connector;
        this.log = log;
        this.deadLetters = deadLetters;
        this.replays = replays;
        this.engine = engine;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
        this.backoff = backoff;
        this.breaker = new CircuitBreaker(settings.breakerThreshold(), settings.breakerOpenFor(), clock);
        this.metrics = metrics;
        this.observer = observer;
        this.pause = new AuthPause(settings.authRetryInterval(), clock);
        this.sender = new RequestSender(id, connector, settings, clock, sleeper, backoff, breaker, pause, metrics);
        this.requests = Executors.newFixedThreadPool(
                settings.maxConcurrency(),
                Thread.ofPlatform()
                        .name("veil-delivery-" + id + "-req-", 0)
                        .daemon()
                        .factory());
        this.thread = Thread.ofPlatform().name("veil-delivery-" + id).daemon().unstarted(this::run);
    }

    /** The event-log consumer id of a destination's cursor. */
    static String consumerId(String destinationId) {
        return "dest:" + destinationId;
    }

    String id() {
        return id;
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /** Why the destination is paused (its credentials or settings were refused), if it is. */
    Optional<AuthPause.State> pauseState() {
        return pause.state();
    }

    void start() {
        thread.start();
    }

    /** Wakes the worker if it is waiting for new events. */
    void wakeUp() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /**
     * Stops the worker: the batch in flight is abandoned without committing its cursor (it is resent on the next
     * start). Waits up to {@code grace} for the threads to end.
     */
    void stop(Duration grace) {
        stopping = true;
        thread.interrupt();
        requests.shutdownNow();
        try {
            thread.join(grace);
            requests.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.close();
    }

    private void run() {
        long cursor = -1;
        int failures = 0;
        while (!stopping) {
            try {
                if (replayOnce()) {
                    continue;
                }
                if (cursor < 0) {
                    cursor = log.cursor(consumerId);
                    metrics.positions(cursor);
                }
                List<EventLog.LogEntry> entries = log.read(cursor, settings.readBatch());
                if (entries.isEmpty()) {
                    wake.tryAcquire(settings.idlePoll().toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                deliver(entries.stream().map(EventLog.LogEntry::event).toList());
                metrics.read(entries.size());
                cursor = entries.getLast().offset();
                log.commitCursor(consumerId, cursor);
                metrics.cursor(cursor);
                failures = 0;
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                // A store failure or a bug: reread from the committed cursor after a pause rather than skip.
                if (stopping) {
                    break;
                }
                cursor = -1;
                LOG.warn(
                        "delivery to {} failed, retrying the batch: {}",
                        id,
                        e.getClass().getSimpleName() + ": " + e.getMessage());
                try {
                    sleeper.sleep(backoff.delay(Math.min(failures++, 20), null));
                } catch (InterruptedException ie) {
                    break;
                }
            }
        }
        LOG.info("delivery worker {} stopped", id);
    }

    /** Delivers queued replays, if any; returns whether there were some. */
    private boolean replayOnce() throws InterruptedException {
        List<Long> ids = replays.pending(id, settings.readBatch());
        if (ids.isEmpty()) {
            return false;
        }
        List<RawEvent> events = new ArrayList<>();
        for (long deadLetterId : ids) {
            deadLetters.get(deadLetterId).ifPresent(dl -> events.add(dl.event()));
        }
        LOG.info("replaying {} dead letters to {}", events.size(), id);
        deliver(events);
        metrics.replayed(events.size());
        deadLetters.markReplayed(ids, clock.instant());
        replays.done(ids);
        return true;
    }

    /**
     * Settles the fate of every event: returns only when each is delivered, dropped, skipped or dead-lettered, and
     * has been counted once in the metrics.
     */
    void deliver(List<RawEvent> events) throws InterruptedException {
        DestinationPolicy destination = policy.get();
        if (destination == null) {
            throw new InterruptedException("destination " + id + " was removed");
        }
        // The engine is pure and thread-safe: evaluate in parallel, it is the CPU-heavy part (PHI scanning).
        List<@Nullable Decision> decisions = events.parallelStream()
                .map(event -> evaluate(event, destination))
                .toList();
        try {
            observer.evaluated(id, events, decisions);
        } catch (RuntimeException e) {
            LOG.warn("delivery observer failed for {}: {}", id, e.getClass().getSimpleName());
        }
        BatchLedger ledger = new BatchLedger((event, reason) -> deadLetters.add(id, event, reason, clock.instant()));
        for (int i = 0; i < events.size(); i++) {
            RawEvent event = events.get(i);
            Decision decision = decisions.get(i);
            if (decision == null) {
                // One event the engine cannot handle must not stall the destination forever.
                ledger.deadLetterRaw(event, "privacy engine failed");
                continue;
            }
            metrics.redactions(decision.redactions());
            switch (decision) {
                case Decision.Forward f -> ledger.forward(f.event(), event);
                case Decision.Dropped d -> ledger.dropped(d.reason());
            }
        }
        List<SafeEvent> forward = ledger.forwarded();
        int max = connector.limits().maxEvents();
        List<Future<?>> inFlight = new ArrayList<>();
        for (int from = 0; from < forward.size(); from += max) {
            List<SafeEvent> chunk = forward.subList(from, Math.min(forward.size(), from + max));
            Prepared prepared = sender.prepare(chunk, ledger);
            if (prepared == null) {
                continue;
            }
            prepared.repairs().forEach(r -> metrics.repaired(r.reason()));
            for (OutboundRequest request : prepared.requests()) {
                inFlight.add(requests.submit(() -> {
                    sender.send(request, ledger);
                    return null;
                }));
            }
        }
        awaitAll(inFlight);
        int unaccounted = ledger.settle(metrics);
        if (unaccounted > 0) {
            LOG.error(
                    "connector for {} neither sent, rejected nor skipped {} events (counted as skipped,"
                            + " connector_unaccounted)",
                    id,
                    unaccounted);
        }
    }

    private @Nullable Decision evaluate(RawEvent event, DestinationPolicy destination) {
        try {
            return engine.evaluate(event, destination);
        } catch (RuntimeException e) {
            // Never the raw message id: the caller chose it and it can carry PHI (an e-mail address, an MRN).
            LOG.error(
                    "privacy engine failed on an event of source {} for {}: {}",
                    event.sourceId(),
                    id,
                    e.getClass().getSimpleName());
            return null;
        }
    }

    private void awaitAll(List<Future<?>> inFlight) throws InterruptedException {
        try {
            for (Future<?> f : inFlight) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof InterruptedException ie) {
                        throw ie;
                    }
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException("delivery request to " + id + " failed", e.getCause());
                }
            }
        } finally {
            inFlight.forEach(f -> f.cancel(true));
        }
    }
}

package dev.veil.server.delivery;

import dev.veil.api.SafeEvent;
import dev.veil.core.engine.Decision;
import dev.veil.core.engine.PrivacyEngine;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.Rejected;
import dev.veil.destinations.spi.VendorResponse;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.EventLog;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * it (delivered, dropped by policy, or dead-lettered), and only then commits the cursor past the batch. Requests
 * of a batch go out in parallel (at most {@code maxConcurrency}); a request that must be retried holds the
 * batch until it succeeds, fails for good, or its retry window ends (then its events are dead-lettered). A
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
    private final HttpTransport transport;
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
            DeliveryMetrics metrics) {
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
        this.transport = new HttpTransport(settings.requestTimeout());
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
        transport.close();
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
                }
                List<EventLog.LogEntry> entries = log.read(cursor, settings.readBatch());
                metrics.positions(log.headOffset(), cursor);
                if (entries.isEmpty()) {
                    wake.tryAcquire(settings.idlePoll().toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
                deliver(entries.stream().map(EventLog.LogEntry::event).toList());
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
        deadLetters.markReplayed(ids, clock.instant());
        replays.done(ids);
        return true;
    }

    /** Settles the fate of every event: returns only when each is delivered, dropped or dead-lettered. */
    void deliver(List<RawEvent> events) throws InterruptedException {
        DestinationPolicy destination = policy.get();
        if (destination == null) {
            throw new InterruptedException("destination " + id + " was removed");
        }
        // The engine is pure and thread-safe: evaluate in parallel, it is the CPU-heavy part (PHI scanning).
        List<@Nullable Decision> decisions = events.parallelStream()
                .map(event -> evaluate(event, destination))
                .toList();
        Map<String, RawEvent> raw = new HashMap<>();
        List<SafeEvent> forward = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            RawEvent event = events.get(i);
            Decision decision = decisions.get(i);
            if (decision == null) {
                // One event the engine cannot handle must not stall the destination forever.
                deadLetter(event, "privacy engine failed");
                continue;
            }
            metrics.redactions(decision.redactions());
            switch (decision) {
                case Decision.Forward f -> {
                    forward.add(f.event());
                    raw.put(f.event().messageId(), event);
                }
                case Decision.Dropped d -> metrics.dropped(d.reason());
            }
        }
        int max = connector.limits().maxEvents();
        List<Future<?>> inFlight = new ArrayList<>();
        for (int from = 0; from < forward.size(); from += max) {
            List<SafeEvent> chunk = forward.subList(from, Math.min(forward.size(), from + max));
            Prepared prepared;
            try {
                prepared = connector.prepare(chunk);
            } catch (RuntimeException e) {
                for (SafeEvent event : chunk) {
                    deadLetter(
                            raw,
                            event.messageId(),
                            "connector could not map the batch: " + e.getClass().getSimpleName());
                }
                continue;
            }
            for (Rejected rejected : prepared.rejected()) {
                deadLetter(raw, rejected.messageId(), rejected.reason());
            }
            for (OutboundRequest request : prepared.requests()) {
                inFlight.add(requests.submit(() -> {
                    send(request, raw);
                    return null;
                }));
            }
        }
        awaitAll(inFlight);
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

    /** Sends one request until its events have a final fate. */
    private void send(OutboundRequest request, Map<String, RawEvent> raw) throws InterruptedException {
        Instant giveUpAt = clock.instant().plus(settings.retryWindow());
        String lastReason = "circuit breaker open";
        int attempt = 0;
        while (true) {
            Duration wait = breaker.acquire();
            if (wait.isPositive()) {
                if (clock.instant().plus(wait).isAfter(giveUpAt)) {
                    giveUp(request, raw, lastReason);
                    return;
                }
                sleeper.sleep(wait);
                continue;
            }
            Outcome outcome = attempt(request);
            switch (outcome) {
                case Outcome.Delivered d -> {
                    breaker.onSuccess();
                    metrics.delivered(request.messageIds().size());
                    return;
                }
                case Outcome.PartiallyDelivered p -> {
                    breaker.onSuccess();
                    for (Rejected failed : p.failed()) {
                        deadLetter(raw, failed.messageId(), failed.reason());
                    }
                    metrics.delivered(
                            Math.max(0, request.messageIds().size() - p.failed().size()));
                    return;
                }
                case Outcome.Failed f -> {
                    // The vendor is up and answered: a permanent refusal says nothing about its health.
                    breaker.onSuccess();
                    for (String messageId : request.messageIds()) {
                        deadLetter(raw, messageId, f.reason());
                    }
                    return;
                }
                case Outcome.Retry r -> {
                    breaker.onFailure();
                    lastReason = r.reason();
                    Duration delay = backoff.delay(attempt++, r.retryAfter());
                    if (clock.instant().plus(delay).isAfter(giveUpAt)) {
                        giveUp(request, raw, lastReason);
                        return;
                    }
                    metrics.retried();
                    LOG.debug("retrying {} in {} ms: {}", request, delay.toMillis(), lastReason);
                    sleeper.sleep(delay);
                }
            }
        }
    }

    private Outcome attempt(OutboundRequest request) throws InterruptedException {
        long started = System.nanoTime();
        VendorResponse response;
        try {
            response = transport.send(request);
        } catch (HttpTimeoutException e) {
            return new Outcome.Retry(
                    "timeout after " + settings.requestTimeout().toMillis() + " ms", null);
        } catch (IOException e) {
            return new Outcome.Retry("connection error: " + e.getClass().getSimpleName(), null);
        } finally {
            metrics.request(Duration.ofNanos(System.nanoTime() - started));
        }
        try {
            return connector.interpret(request, response);
        } catch (RuntimeException e) {
            return new Outcome.Failed("connector could not read HTTP " + response.status() + ": "
                    + e.getClass().getSimpleName());
        }
    }

    private void giveUp(OutboundRequest request, Map<String, RawEvent> raw, String lastReason) {
        String reason = "gave up after retrying for " + settings.retryWindow() + "; last: " + lastReason;
        LOG.warn("giving up on {} to {}: {}", request, id, lastReason);
        for (String messageId : request.messageIds()) {
            deadLetter(raw, messageId, reason);
        }
    }

    private void deadLetter(Map<String, RawEvent> raw, String messageId, String reason) {
        RawEvent event = raw.get(messageId);
        if (event == null) {
            // A connector naming an id it was never given is a connector bug; the id itself is not PHI.
            LOG.error("connector for {} reported unknown message id {}", id, messageId);
            return;
        }
        deadLetter(event, reason);
    }

    private void deadLetter(RawEvent event, String reason) {
        deadLetters.add(id, event, reason, clock.instant());
        metrics.deadLettered(1);
    }
}

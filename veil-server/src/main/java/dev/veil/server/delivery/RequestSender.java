package dev.veil.server.delivery;

import dev.veil.api.SafeEvent;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.destinations.spi.Rejected;
import dev.veil.destinations.spi.VendorResponse;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one destination's requests until every event they carry has a fate in the batch's {@link BatchLedger}.
 *
 * <p>Design note. {@link #send} first gets a final answer for the request: it waits while the destination is
 * paused ({@link AuthPause}: credentials refused, nothing is given up; each probe re-prepares the events), waits
 * for the circuit breaker, and retries {@code Retry} answers with backoff until the retry window ends (then the
 * events are dead-lettered). A final answer either settles the events ({@code Delivered}, {@code PartiallyDelivered}, {@code Failed}) or asks to
 * isolate bad events: {@code Split} prepares the request's events again in two halves, {@code Resend}
 * dead-letters the listed events and prepares the rest again; the new requests are sent the same way, on the
 * same thread (recursion depth is at most log2 of the batch size for splits, one level per refused event for
 * resends). Halves always shrink and each resend removes an event, so isolation ends.
 *
 * <p>Thread-safe: the request pool of a destination calls it concurrently.
 */
final class RequestSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RequestSender.class);

    private final String id;
    private final Connector connector;
    private final DeliverySettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;
    private final CircuitBreaker breaker;
    private final AuthPause pause;
    private final DeliveryMetrics metrics;
    private final HttpTransport transport;

    RequestSender(
            String id,
            Connector connector,
            DeliverySettings settings,
            Clock clock,
            Sleeper sleeper,
            Backoff backoff,
            CircuitBreaker breaker,
            AuthPause pause,
            DeliveryMetrics metrics) {
        this.id = id;
        this.connector = connector;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
        this.backoff = backoff;
        this.breaker = breaker;
        this.pause = pause;
        this.metrics = metrics;
        this.transport = new HttpTransport(settings.requestTimeout());
    }

    /** Sends {@code request} until each of its events is delivered or dead-lettered in {@code ledger}. */
    void send(OutboundRequest request, BatchLedger ledger) throws InterruptedException {
        OutboundRequest current = request;
        while (true) {
            Outcome outcome = finalAnswer(current);
            if (!(outcome instanceof Outcome.AuthFailed)) {
                settle(current, outcome, ledger);
                return;
            }
            // Paused. The next probe carries freshly prepared events: a request signed or timed at prepare time
            // (the webhook's signature) would otherwise be refused forever, and events that grew too old while
            // paused are dead-lettered with the connector's reason instead of failing the request.
            Prepared again = prepare(ledger.events(current.messageIds()), ledger);
            if (again == null || again.requests().isEmpty()) {
                return;
            }
            if (again.requests().size() > 1) {
                for (OutboundRequest r : again.requests()) {
                    send(r, ledger);
                }
                return;
            }
            current = again.requests().getFirst();
        }
    }

    private void settle(OutboundRequest request, Outcome outcome, BatchLedger ledger) throws InterruptedException {
        switch (outcome) {
            case Outcome.Delivered d -> ledger.delivered(request.messageIds());
            case Outcome.PartiallyDelivered p -> {
                Set<String> failed = new HashSet<>();
                for (Rejected r : p.failed()) {
                    deadLetter(ledger, r.messageId(), r.reason());
                    failed.add(r.messageId());
                }
                ledger.delivered(request.messageIds().stream()
                        .filter(m -> !failed.contains(m))
                        .toList());
            }
            case Outcome.Failed f -> request.messageIds().forEach(m -> deadLetter(ledger, m, f.reason()));
            case Outcome.Split s -> split(request, s.reason(), ledger);
            case Outcome.Resend r -> resend(request, r, ledger);
            case Outcome.Retry r -> throw new IllegalStateException("finalAnswer never returns Retry");
            case Outcome.AuthFailed a -> throw new IllegalStateException("send handles AuthFailed");
        }
    }

    private void split(OutboundRequest request, String reason, BatchLedger ledger) throws InterruptedException {
        List<SafeEvent> events = ledger.events(request.messageIds());
        if (events.size() <= 1) {
            request.messageIds().forEach(m -> deadLetter(ledger, m, reason));
            return;
        }
        LOG.debug("{}: splitting {} to isolate refused events: {}", id, request, reason);
        int half = events.size() / 2;
        prepareAndSend(events.subList(0, half), ledger);
        prepareAndSend(events.subList(half, events.size()), ledger);
    }

    private void resend(OutboundRequest request, Outcome.Resend answer, BatchLedger ledger)
            throws InterruptedException {
        Set<String> carried = new HashSet<>(request.messageIds());
        Set<String> failed = new HashSet<>();
        for (Rejected r : answer.failed()) {
            if (carried.contains(r.messageId())) {
                failed.add(r.messageId());
            }
        }
        if (failed.isEmpty()) {
            split(request, answer.reason(), ledger);
            return;
        }
        for (Rejected r : answer.failed()) {
            if (failed.contains(r.messageId())) {
                deadLetter(ledger, r.messageId(), r.reason());
            }
        }
        List<String> rest =
                request.messageIds().stream().filter(m -> !failed.contains(m)).toList();
        if (!rest.isEmpty()) {
            LOG.debug("{}: resending {} events the vendor did not ingest: {}", id, rest.size(), answer.reason());
            prepareAndSend(ledger.events(rest), ledger);
        }
    }

    /** Prepares events again (after a split or resend) and sends the new requests on this thread. */
    private void prepareAndSend(List<SafeEvent> events, BatchLedger ledger) throws InterruptedException {
        if (events.isEmpty()) {
            return;
        }
        metrics.resent(events.size());
        Prepared prepared = prepare(events, ledger);
        if (prepared == null) {
            return;
        }
        for (OutboundRequest r : prepared.requests()) {
            send(r, ledger);
        }
    }

    /**
     * Calls the connector and settles the events it rejects or skips; on a connector exception every event is
     * dead-lettered. Returns null when nothing is left to send.
     */
    @org.jspecify.annotations.Nullable
    Prepared prepare(List<SafeEvent> events, BatchLedger ledger) {
        Prepared prepared;
        try {
            prepared = connector.prepare(events);
        } catch (RuntimeException e) {
            String reason = "connector could not map the batch: " + e.getClass().getSimpleName();
            events.forEach(ev -> deadLetter(ledger, ev.messageId(), reason));
            return null;
        }
        prepared.rejected().forEach(r -> deadLetter(ledger, r.messageId(), r.reason()));
        prepared.skipped().forEach(s -> ledger.skipped(s.messageId(), s.reason()));
        return prepared;
    }

    /**
     * Sends until the vendor gives an answer other than {@code Retry}, or the retry window ends (then a {@code
     * Failed} saying so). An {@code AuthFailed} answer pauses the destination before it is returned; while the
     * destination is paused this waits for the probe turn, however long that takes.
     */
    private Outcome finalAnswer(OutboundRequest request) throws InterruptedException {
        Instant giveUpAt = clock.instant().plus(settings.retryWindow());
        String lastReason = "circuit breaker open";
        int attempt = 0;
        while (true) {
            AuthPause.Permit permit = pause.acquire();
            if (permit.delay().isPositive()) {
                sleeper.sleep(permit.delay());
                // Time spent paused is not time spent failing: the retry window starts again afterwards.
                giveUpAt = clock.instant().plus(settings.retryWindow());
                continue;
            }
            Duration wait = breaker.acquire();
            if (wait.isPositive()) {
                if (clock.instant().plus(wait).isAfter(giveUpAt)) {
                    return giveUp(request, lastReason);
                }
                sleeper.sleep(wait);
                continue;
            }
            Outcome outcome = attempt(request);
            switch (outcome) {
                case Outcome.AuthFailed a -> {
                    // The vendor answered: it is up. The destination is not.
                    breaker.onSuccess();
                    if (pause.onAuthFailure(a.reason())) {
                        metrics.paused(true);
                        LOG.warn(
                                "delivery to {} paused: the vendor refused the credentials or settings ({}); events"
                                        + " wait in the log, retrying every {} s",
                                id,
                                a.reason(),
                                settings.authRetryInterval().toSeconds());
                    }
                    return outcome;
                }
                case Outcome.Retry r -> {
                    breaker.onFailure();
                    if (permit.probe()) {
                        pause.onProbeUnanswered();
                    }
                    lastReason = r.reason();
                    Duration delay = backoff.delay(attempt++, r.retryAfter());
                    if (clock.instant().plus(delay).isAfter(giveUpAt)) {
                        return giveUp(request, lastReason);
                    }
                    metrics.retried();
                    LOG.debug("retrying {} in {} ms: {}", request, delay.toMillis(), lastReason);
                    sleeper.sleep(delay);
                }
                default -> {
                    // Delivered, refused for good, or asked to isolate events: the vendor is up and takes our
                    // credentials.
                    breaker.onSuccess();
                    pause.onAnswer().ifPresent(ended -> {
                        metrics.paused(false);
                        LOG.info(
                                "delivery to {} resumed after a pause of {} s",
                                id,
                                Duration.between(ended.since(), clock.instant()).toSeconds());
                    });
                    return outcome;
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

    private Outcome giveUp(OutboundRequest request, String lastReason) {
        LOG.warn("giving up on {} to {}: {}", request, id, lastReason);
        return new Outcome.Failed("gave up after retrying for " + settings.retryWindow() + "; last: " + lastReason);
    }

    private void deadLetter(BatchLedger ledger, String messageId, String reason) {
        if (!ledger.deadLetter(messageId, reason)) {
            // A connector naming an id it was never given is a connector bug; the id itself is not PHI.
            LOG.error("connector for {} reported unknown message id {}", id, messageId);
        }
    }

    @Override
    public void close() {
        transport.close();
    }
}

package dev.veil.server.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.admin.resources.DeliveryControl;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.destinations.spi.Connector;
import dev.veil.destinations.spi.OutboundRequest;
import dev.veil.destinations.spi.Outcome;
import dev.veil.destinations.spi.Prepared;
import dev.veil.server.pipeline.Pipeline;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.DeadLetterStore.DeadLetter;
import dev.veil.store.EventLog;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The admin API's view of delivery in a running server: status per destination of the running policy, dead
 * letters (metadata; the raw event only on request), replay through the engine's replay queue, and a synthetic
 * test event sent with the destination's own connector. Thread-safe.
 */
public final class ServerDeliveryControl implements DeliveryControl {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TEST_TIMEOUT = Duration.ofSeconds(10);

    private final Pipeline pipeline;
    private final DeadLetterStore deadLetters;
    private final ConnectorProvider connectors;
    private final Clock clock;
    private final EventLog log;

    public ServerDeliveryControl(
            Pipeline pipeline, EventLog log, DeadLetterStore deadLetters, ConnectorProvider connectors, Clock clock) {
        this.pipeline = pipeline;
        this.log = log;
        this.deadLetters = deadLetters;
        this.connectors = connectors;
        this.clock = clock;
    }

    @Override
    public List<DestinationStatus> status() {
        DeliveryEngine engine = pipeline.delivery();
        List<DestinationStatus> out = new ArrayList<>();
        for (DestinationPolicy d : pipeline.runtime().current().destinations()) {
            String state;
            String problem = null;
            Optional<String> failure = engine.startFailure(d.id());
            if (!d.enabled()) {
                state = "disabled";
            } else if (failure.isPresent()) {
                state = "failed_to_start";
                problem = failure.get();
            } else if (engine.breakerState(d.id()).orElse(null) == CircuitBreaker.State.OPEN) {
                state = "circuit_open";
                problem = "the vendor failed repeatedly; retrying after a pause";
            } else if (engine.running().contains(d.id())) {
                state = "running";
            } else {
                state = "stopped";
            }
            long cursor = log.consumers().getOrDefault(DestinationWorker.consumerId(d.id()), log.headOffset());
            long oldest = log.firstReceivedAfter(cursor)
                    .map(t -> Math.max(0, Duration.between(t, clock.instant()).toSeconds()))
                    .orElse(0L);
            out.add(new DestinationStatus(
                    d.id(), state, deadLetters.count(d.id()), Math.max(0, log.headOffset() - cursor), oldest, problem));
        }
        return out;
    }

    @Override
    public List<DeadLetterInfo> deadLetters(String destinationId, Instant since, int max) {
        ReplayQueue replays = pipeline.replays();
        return deadLetters.list(destinationId, since, max).stream()
                .map(d -> new DeadLetterInfo(
                        d.id(),
                        d.event().messageId(),
                        d.event().type().wireName(),
                        d.reason(),
                        d.failedAt(),
                        d.replayedAt() != null ? "replayed" : replays.isQueued(d.id()) ? "queued" : "failed"))
                .toList();
    }

    @Override
    public Optional<String> rawDeadLetter(String destinationId, long id) {
        return deadLetters
                .get(id)
                .filter(d -> d.destinationId().equals(destinationId))
                .map(d -> {
                    ObjectNode n = JSON.createObjectNode();
                    n.put("id", d.id());
                    n.put("sourceId", d.event().sourceId());
                    n.put("receivedAt", d.event().receivedAt().toString());
                    n.put("clientIp", d.event().clientIp());
                    n.put("userAgent", d.event().userAgent());
                    n.put("gpc", d.event().gpc());
                    n.set("message", d.event().message());
                    return n.toString();
                });
    }

    @Override
    public int replay(String destinationId, List<Long> ids) {
        ReplayQueue replays = pipeline.replays();
        List<Long> candidates = new ArrayList<>();
        if (ids.isEmpty()) {
            for (DeadLetter d : deadLetters.list(destinationId, Instant.EPOCH, 1_000_000)) {
                if (d.replayedAt() == null && !replays.isQueued(d.id())) {
                    candidates.add(d.id());
                }
            }
        } else {
            for (long id : ids) {
                deadLetters
                        .get(id)
                        .filter(d -> d.destinationId().equals(destinationId) && d.replayedAt() == null)
                        .ifPresent(d -> candidates.add(d.id()));
            }
        }
        int queued = candidates.isEmpty() ? 0 : replays.enqueue(destinationId, candidates, clock.instant());
        pipeline.delivery().wakeUp();
        return queued;
    }

    @Override
    public TestResult sendTestEvent(String destinationId) {
        Optional<DestinationPolicy> d = pipeline.runtime().current().destination(destinationId);
        if (d.isEmpty()) {
            return new TestResult(false, 0, "destination " + destinationId + " is not in the running policy");
        }
        Connector connector;
        try {
            connector = connectors.create(d.get());
        } catch (RuntimeException e) {
            return new TestResult(false, 0, "the connector cannot start: " + e.getMessage());
        }
        // A synthetic event with nothing personal in it: a fixed name and a random id.
        SafeEvent event = new SafeEvent(
                destinationId,
                EventType.TRACK,
                UUID.randomUUID().toString().replace("-", ""),
                clock.instant(),
                "Veil Test Event",
                null,
                "veil-test-" + UUID.randomUUID().toString().substring(0, 8),
                null,
                null,
                Map.of(),
                Map.of(),
                SafeContext.EMPTY);
        Prepared prepared = connector.prepare(List.of(event));
        if (prepared.requests().isEmpty()) {
            String why = prepared.rejected().isEmpty()
                    ? "the connector sent nothing"
                    : prepared.rejected().get(0).reason();
            return new TestResult(false, 0, "refused before sending: " + why);
        }
        OutboundRequest request = prepared.requests().get(0);
        try (HttpTransport transport = new HttpTransport(TEST_TIMEOUT)) {
            var response = transport.send(request);
            Outcome outcome = connector.interpret(request, response);
            if (outcome instanceof Outcome.Delivered) {
                return new TestResult(true, response.status(), "delivered");
            }
            String reason = outcome instanceof Outcome.Failed f
                    ? f.reason()
                    : outcome instanceof Outcome.Retry r
                            ? r.reason()
                            : outcome.getClass().getSimpleName();
            return new TestResult(false, response.status(), reason);
        } catch (IOException e) {
            return new TestResult(false, 0, "no answer: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TestResult(false, 0, "interrupted");
        }
    }
}

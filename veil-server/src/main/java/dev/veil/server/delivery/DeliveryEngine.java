package dev.veil.server.delivery;

import dev.veil.core.engine.PrivacyEngine;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.Policy;
import dev.veil.destinations.spi.Connector;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.EventLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link DestinationWorker} per destination of the current policy and keeps the set in step with it.
 *
 * <p>The policy is read from a {@link Supplier} (e.g. an {@code AtomicReference::get}) on every batch, so an
 * applied policy takes effect without restart; {@link #reconcile()} (also run every second) starts workers for
 * new destinations, stops those of removed ones, and restarts a worker whose type or settings changed (its
 * connector must be rebuilt). Thread-safe.
 */
public final class DeliveryEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final EventLog log;
    private final DeadLetterStore deadLetters;
    private final ReplayQueue replays;
    private final PrivacyEngine engine;
    private final Supplier<Policy> policy;
    private final ConnectorProvider connectors;
    private final MeterRegistry registry;
    private final DeliverySettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final DeliveryObserver observer;
    private final Map<String, Running> workers = new ConcurrentHashMap<>();
    private final Map<String, String> startFailures = new ConcurrentHashMap<>();
    private final Map<String, DeliveryMetrics> metrics = new ConcurrentHashMap<>();
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("veil-delivery-supervisor").daemon().factory());
    private boolean started;
    // True until the first reconcile when no destination has ever had a cursor: then the log holds events that
    // arrived before delivery first started, and they must go out. Destinations added later start at the head.
    private boolean freshLog;
    private boolean closed;

    private record Running(DestinationPolicy startedWith, DestinationWorker worker) {}

    private DeliveryEngine(Builder b) {
        this.log = b.log;
        this.deadLetters = b.deadLetters;
        this.replays = b.replays;
        this.engine = b.engine;
        this.policy = b.policy;
        this.connectors = b.connectors;
        this.registry = b.registry;
        this.settings = b.settings;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.random = b.random;
        this.observer = b.observer;
    }

    /** Starts a builder with the required parts; clock, sleeper, random, registry and settings are optional. */
    public static Builder builder(
            EventLog log,
            DeadLetterStore deadLetters,
            ReplayQueue replays,
            PrivacyEngine engine,
            Supplier<Policy> policy,
            ConnectorProvider connectors) {
        return new Builder(log, deadLetters, replays, engine, policy, connectors);
    }

    /** Starts the workers of the current policy and the once-a-second reconciliation. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        freshLog = log.consumers().keySet().stream().noneMatch(c -> c.startsWith(DestinationWorker.consumerId("")));
        reconcile();
        freshLog = false;
        supervisor.scheduleWithFixedDelay(this::reconcileQuietly, 1, 1, TimeUnit.SECONDS);
    }

    private void reconcileQuietly() {
        try {
            reconcile();
        } catch (RuntimeException e) {
            LOG.warn("delivery reconcile failed: {}", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Brings the running workers in line with the current policy; call it after applying a policy. */
    public synchronized void reconcile() {
        if (closed || !started) {
            return;
        }
        Map<String, DestinationPolicy> wanted = new LinkedHashMap<>();
        for (DestinationPolicy d : policy.get().destinations()) {
            wanted.put(d.id(), d);
        }
        for (Map.Entry<String, Running> e : Map.copyOf(workers).entrySet()) {
            DestinationPolicy now = wanted.get(e.getKey());
            if (now == null || connectorChanged(e.getValue().startedWith(), now)) {
                LOG.info("stopping delivery to {} ({})", e.getKey(), now == null ? "removed" : "connector changed");
                e.getValue().worker().stop(STOP_GRACE);
                workers.remove(e.getKey());
                if (now == null) {
                    log.removeConsumer(DestinationWorker.consumerId(e.getKey()));
                    DeliveryMetrics m = metrics.remove(e.getKey());
                    if (m != null) {
                        m.remove();
                    }
                }
            }
        }
        startFailures.keySet().retainAll(wanted.keySet());
        for (DestinationPolicy d : wanted.values()) {
            if (!workers.containsKey(d.id())) {
                startWorker(d);
            }
        }
    }

    private static boolean connectorChanged(DestinationPolicy before, DestinationPolicy now) {
        return !before.type().equals(now.type()) || !before.settings().equals(now.settings());
    }

    private void startWorker(DestinationPolicy d) {
        // A new destination gets the events appended from now on, not the retained history (vendors refuse or
        // misdate old events, e.g. Meta fails a whole request over one event older than 7 days). Registering
        // first also keeps purge from deleting events it has not delivered, even while its connector cannot be
        // built; an existing cursor is left as it is.
        log.registerConsumer(DestinationWorker.consumerId(d.id()), freshLog ? 0 : log.headOffset());
        Connector connector;
        try {
            connector = connectors.create(d);
        } catch (RuntimeException e) {
            // Events wait in the log (the cursor does not move) until the settings are fixed.
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!reason.equals(startFailures.put(d.id(), reason))) {
                LOG.warn("delivery to {} not started: {}", d.id(), reason);
            }
            return;
        }
        startFailures.remove(d.id());
        String id = d.id();
        DeliveryMetrics m = metrics.computeIfAbsent(id, k -> new DeliveryMetrics(registry, k, log, clock));
        DestinationWorker worker = new DestinationWorker(
                id,
                () -> policy.get().destination(id).orElse(null),
                connector,
                log,
                deadLetters,
                replays,
                engine,
                settings,
                clock,
                sleeper,
                new Backoff(settings.backoffBase(), settings.backoffMax(), random),
                m,
                observer);
        workers.put(id, new Running(d, worker));
        worker.start();
        LOG.info("delivery to {} ({}) started", id, d.type());
    }

    /** Tells idle workers that events were appended, so they read now rather than at their next poll. */
    public void wakeUp() {
        workers.values().forEach(r -> r.worker().wakeUp());
    }

    /** Ids of destinations with a running worker. */
    public Set<String> running() {
        return Set.copyOf(workers.keySet());
    }

    /** Why a destination's worker could not start (its connector settings are invalid), if it could not. */
    public Optional<String> startFailure(String destinationId) {
        return Optional.ofNullable(startFailures.get(destinationId));
    }

    /** The circuit breaker state of a running destination. */
    public Optional<CircuitBreaker.State> breakerState(String destinationId) {
        Running r = workers.get(destinationId);
        return r == null ? Optional.empty() : Optional.of(r.worker().breaker().state());
    }

    /**
     * The running destinations whose vendor refuses their credentials or settings, with the reason (PHI-free:
     * status and vendor error codes). Delivery to them is paused until a periodic probe succeeds.
     */
    public Map<String, String> paused() {
        Map<String, String> out = new java.util.TreeMap<>();
        workers.forEach((id, r) -> r.worker().pauseState().ifPresent(p -> out.put(id, p.reason())));
        return out;
    }

    /**
     * Stops every worker and removes this engine's meters from the registry; batches in flight are not committed
     * and are resent on the next start.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        supervisor.shutdownNow();
        List<Running> all = List.copyOf(workers.values());
        // Stop everyone at once so a shutdown takes one grace period, not one per destination.
        List<Thread> stoppers = all.stream()
                .map(r -> Thread.ofPlatform().start(() -> r.worker().stop(STOP_GRACE)))
                .toList();
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        workers.clear();
        // Its gauges read this engine's cursors: left registered, they would shadow the meters of an engine started
        // after it on the same registry (serve retrying a failed start), which the registry would hand back instead.
        metrics.values().forEach(DeliveryMetrics::remove);
        metrics.clear();
    }

    /** Optional parts of a {@link DeliveryEngine}. */
    public static final class Builder {
        private final EventLog log;
        private final DeadLetterStore deadLetters;
        private final ReplayQueue replays;
        private final PrivacyEngine engine;
        private final Supplier<Policy> policy;
        private final ConnectorProvider connectors;
        private MeterRegistry registry = new SimpleMeterRegistry();
        private DeliverySettings settings = DeliverySettings.DEFAULTS;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private RandomGenerator random = RandomGenerator.getDefault();
        private DeliveryObserver observer = DeliveryObserver.NONE;

        private Builder(
                EventLog log,
                DeadLetterStore deadLetters,
                ReplayQueue replays,
                PrivacyEngine engine,
                Supplier<Policy> policy,
                ConnectorProvider connectors) {
            this.log = Objects.requireNonNull(log, "log");
            this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
            this.replays = Objects.requireNonNull(replays, "replays");
            this.engine = Objects.requireNonNull(engine, "engine");
            this.policy = Objects.requireNonNull(policy, "policy");
            this.connectors = Objects.requireNonNull(connectors, "connectors");
        }

        public Builder registry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public Builder settings(DeliverySettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** Who sees each batch's policy decisions (the console); none by default. */
        public Builder observer(DeliveryObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        public DeliveryEngine build() {
            return new DeliveryEngine(this);
        }
    }
}

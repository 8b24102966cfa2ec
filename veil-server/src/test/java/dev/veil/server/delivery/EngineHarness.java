package dev.veil.server.delivery;

import dev.veil.core.engine.PrivacyEngine;
import dev.veil.core.policy.Policy;
import dev.veil.server.testing.TestDeadLetterStore;
import dev.veil.server.testing.TestEventLog;
import dev.veil.store.DeadLetterStore;
import dev.veil.store.EventLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/** Wires a delivery engine over test stores (SQLite in temporary directories); tests override what they need, then call {@link #start()}. */
final class EngineHarness implements AutoCloseable {
    private final TestEventLog defaultLog = new TestEventLog();
    private final TestDeadLetterStore defaultDeadLetters = new TestDeadLetterStore();
    EventLog log = defaultLog;
    DeadLetterStore deadLetters = defaultDeadLetters;
    final ReplayQueue replays;
    PrivacyEngine privacy = new PassThroughEngine();
    final AtomicReference<Policy> policy = new AtomicReference<>(Fixtures.policy());
    io.micrometer.core.instrument.MeterRegistry registry = new SimpleMeterRegistry();
    DeliverySettings settings = DeliverySettings.DEFAULTS.withReadBatch(500);
    Clock clock = Clock.systemUTC();
    Sleeper sleeper = Sleeper.SYSTEM;
    int maxEvents = 100;
    DeliveryObserver observer = DeliveryObserver.NONE;

    @org.jspecify.annotations.Nullable
    ConnectorProvider connectors;

    DeliveryEngine engine;

    EngineHarness(Path dir) {
        replays = SqliteReplayQueue.open(dir);
    }

    DeliveryEngine start() {
        engine = DeliveryEngine.builder(
                        log,
                        deadLetters,
                        replays,
                        privacy,
                        policy::get,
                        connectors != null ? connectors : Fixtures.connectors(maxEvents))
                .registry(registry)
                .settings(settings)
                .clock(clock)
                .sleeper(sleeper)
                .random(new SplittableRandom(7))
                .observer(observer)
                .build();
        engine.start();
        return engine;
    }

    double counter(String name, String destination) {
        Counter c = registry.find(name).tag("destination", destination).counter();
        return c == null ? 0 : c.count();
    }

    double dropped(String destination, String reason) {
        Counter c = registry.find("veil.delivery.dropped")
                .tag("destination", destination)
                .tag("reason", reason)
                .counter();
        return c == null ? 0 : c.count();
    }

    double gauge(String name, String destination) {
        Gauge g = registry.find(name).tag("destination", destination).gauge();
        return g == null ? -1 : g.value();
    }

    double lag(String destination) {
        Gauge g = registry.find("veil.delivery.lag")
                .tag("destination", destination)
                .gauge();
        return g == null ? -1 : g.value();
    }

    long cursor(String destination) {
        return log.cursor(DestinationWorker.consumerId(destination));
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        replays.close();
        defaultLog.close();
        defaultDeadLetters.close();
    }
}

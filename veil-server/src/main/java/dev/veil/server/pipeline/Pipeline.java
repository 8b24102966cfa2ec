package dev.veil.server.pipeline;

import dev.veil.server.RetentionPurger;
import dev.veil.server.Stores;
import dev.veil.server.delivery.DeliveryEngine;
import dev.veil.server.delivery.DeliveryObserver;
import dev.veil.server.delivery.SqliteReplayQueue;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery side of a running server: the applied policy (kept current with the config store), the privacy
 * engine and one delivery worker per destination. Policy versions applied with {@code veil policy apply} and
 * keys rotated with {@code veil keys rotate} take effect within {@link #REFRESH_SECONDS} seconds, without a
 * restart. It also runs the retention purge ({@link RetentionPurger}) over the event log and the dead letters.
 */
public final class Pipeline implements AutoCloseable {

    /** How often the config store is checked for a new policy version or masking key. */
    public static final int REFRESH_SECONDS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final PolicyRuntime runtime;
    private final SqliteReplayQueue replays;
    private final DeliveryEngine delivery;
    private @Nullable RetentionPurger retention;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("veil-policy-refresh").daemon().factory());

    private Pipeline(PolicyRuntime runtime, SqliteReplayQueue replays, DeliveryEngine delivery) {
        this.runtime = runtime;
        this.replays = replays;
        this.delivery = delivery;
    }

    /**
     * Starts delivery over the server's stores (the event log, dead letters and config store). {@code policyYaml}, when given, is applied first as a new policy
     * version if it differs from the applied one (an invalid file fails the start with the validator's report).
     */
    public static Pipeline start(
            Stores stores,
            Path dataDir,
            MeterRegistry registry,
            ConfiguredConnectors connectors,
            @Nullable PolicyFile policyFile) {
        return start(stores, dataDir, registry, connectors, policyFile, DeliveryObserver.NONE);
    }

    /** As {@link #start(Stores, Path, MeterRegistry, ConfiguredConnectors, PolicyFile)}, with an observer of
     * every batch's policy decisions (the console's release counts and live debugger). */
    public static Pipeline start(
            Stores stores,
            Path dataDir,
            MeterRegistry registry,
            ConfiguredConnectors connectors,
            @Nullable PolicyFile policyFile,
            DeliveryObserver observer) {
        PolicyRuntime runtime = new PolicyRuntime(stores.config(), connectors.descriptors());
        if (policyFile != null) {
            var report = runtime.applyIfChanged(policyFile.yaml(), policyFile.name(), "veil serve");
            if (!report.valid()) {
                throw new IllegalArgumentException("policy " + policyFile.name() + " is invalid:\n" + report.format());
            }
        }
        SqliteReplayQueue replays = SqliteReplayQueue.open(dataDir);
        DeliveryEngine delivery;
        try {
            delivery = DeliveryEngine.builder(
                            stores.eventLog(), stores.deadLetters(), replays, runtime, runtime::current, connectors)
                    .registry(registry)
                    .observer(observer)
                    .build();
        } catch (RuntimeException e) {
            replays.close();
            throw e;
        }
        Pipeline pipeline = new Pipeline(runtime, replays, delivery);
        try {
            delivery.start();
            // Retention (docs/storage.md): delivered events and dead letters older than `retention` are deleted.
            pipeline.retention = RetentionPurger.start(
                    stores.eventLog(), stores.deadLetters(), stores.retention(), Clock.systemUTC(), registry);
            pipeline.refresher.scheduleWithFixedDelay(
                    pipeline::refreshQuietly, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            // a start-up fault leaves no thread or file behind, so that the caller can try again
            pipeline.close();
            throw e;
        }
        return pipeline;
    }

    /** A policy file's text and a name for messages (its path). */
    public record PolicyFile(String name, String yaml) {}

    private void refreshQuietly() {
        try {
            if (runtime.refresh()) {
                delivery.reconcile();
            }
        } catch (RuntimeException e) {
            LOG.warn("policy refresh failed: {}", e.getClass().getSimpleName());
        }
    }

    public PolicyRuntime runtime() {
        return runtime;
    }

    public DeliveryEngine delivery() {
        return delivery;
    }

    /** The queue of dead letters handed back for delivery. */
    public dev.veil.server.delivery.ReplayQueue replays() {
        return replays;
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        if (retention != null) {
            retention.close();
        }
        delivery.close();
        replays.close();
    }
}

package dev.veil.server.delivery;

import dev.veil.store.EventLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one destination, all tagged {@code destination}.
 *
 * <p>Accounting: every event read from the log ({@code veil.delivery.read}) or replayed from the dead-letter store
 * ({@code veil.delivery.replayed}) ends in exactly one of {@code veil.delivery.delivered}, {@code
 * veil.delivery.dropped} (by the policy, tag {@code reason}), {@code veil.delivery.skipped} (by the connector, tag
 * {@code reason}) or {@code veil.delivery.dead_lettered}, counted when its batch is settled: delivered + dropped +
 * skipped + dead_lettered = read + replayed.
 *
 * <p>Also: {@code veil.delivery.redacted} (PHI detector redactions), {@code veil.delivery.repaired} (values a
 * connector changed or removed so the vendor accepts the event, tag {@code reason}), {@code veil.delivery.retried}
 * (request attempts retried), {@code veil.delivery.resent} (events prepared again to isolate refused ones), {@code
 * veil.delivery.request} (timer), {@code veil.delivery.lag} (gauge: the log's head offset minus the destination's
 * committed cursor), {@code veil.delivery.oldest.undelivered.age} (gauge, seconds: how long the oldest event after
 * the cursor has waited) and {@code veil.delivery.paused} (gauge: 1 while the vendor refuses the destination's
 * credentials).
 *
 * <p>The lag and age gauges read the log's head (kept in memory) and the cursor when scraped, not values the
 * worker loop last wrote, so they stay true while a vendor outage holds the worker in one batch.
 */
final class DeliveryMetrics {
    private final MeterRegistry registry;
    private final String destinationId;
    private final Counter delivered;
    private final Counter redacted;
    private final Counter retried;
    private final Counter deadLettered;
    private final Counter read;
    private final Counter replayed;
    private final Counter resent;
    private final AtomicLong paused = new AtomicLong();
    private final Timer request;
    private final EventLog log;
    private final Clock clock;
    private final AtomicLong cursor = new AtomicLong();
    private final Gauge lag;
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Map<String, Counter> repaired = new ConcurrentHashMap<>();

    DeliveryMetrics(MeterRegistry registry, String destinationId, EventLog log, Clock clock) {
        this.registry = registry;
        this.destinationId = destinationId;
        this.log = log;
        this.clock = clock;
        try {
            cursor.set(log.cursor(DestinationWorker.consumerId(destinationId)));
        } catch (RuntimeException e) {
            // the worker sets it when it reads the cursor
        }
        delivered = counter("veil.delivery.delivered", "events accepted by the vendor");
        redacted = counter("veil.delivery.redacted", "values redacted by the privacy engine (PHI detectors)");
        retried = counter("veil.delivery.retried", "request attempts that will be retried");
        deadLettered = counter("veil.delivery.dead_lettered", "events moved to the dead-letter store");
        read = counter("veil.delivery.read", "events read from the event log and settled");
        replayed = counter("veil.delivery.replayed", "dead letters replayed and settled again");
        resent = counter("veil.delivery.resent", "events prepared again to isolate events the vendor refused");
        Gauge.builder("veil.delivery.paused", paused, AtomicLong::get)
                .description("1 while the vendor refuses this destination's credentials or settings (nothing is"
                        + " sent but a periodic probe)")
                .tag("destination", destinationId)
                .register(registry);
        request = Timer.builder("veil.delivery.request")
                .description("vendor request latency")
                .tag("destination", destinationId)
                .register(registry);
        lag = Gauge.builder("veil.delivery.lag", this, DeliveryMetrics::currentLag)
                .description("events in the log not yet finalized for this destination")
                .tag("destination", destinationId)
                .register(registry);
        Gauge.builder("veil.delivery.oldest.undelivered.age", this, DeliveryMetrics::oldestUndeliveredAgeSeconds)
                .description("how long the oldest event not yet finalized for this destination has waited (0 when"
                        + " none waits)")
                .baseUnit("seconds")
                .tag("destination", destinationId)
                .register(registry);
    }

    private double currentLag() {
        try {
            return Math.max(0, log.headOffset() - cursor.get());
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private double oldestUndeliveredAgeSeconds() {
        try {
            return log.firstReceivedAfter(cursor.get())
                    .map(t -> Math.max(0, Duration.between(t, clock.instant()).toMillis() / 1000.0))
                    .orElse(0.0);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private Counter counter(String name, String description) {
        return Counter.builder(name)
                .description(description)
                .tag("destination", destinationId)
                .register(registry);
    }

    void delivered(int events) {
        delivered.increment(events);
    }

    void dropped(String reason, int events) {
        tagged(dropped, "veil.delivery.dropped", "events the policy did not let through", reason)
                .increment(events);
    }

    void skipped(String reason, int events) {
        tagged(
                        skipped,
                        "veil.delivery.skipped",
                        "events the connector does not send (the vendor has no use for" + " them)",
                        reason)
                .increment(events);
    }

    void repaired(String reason) {
        tagged(
                        repaired,
                        "veil.delivery.repaired",
                        "values a connector changed or removed so the vendor accepts" + " the event",
                        reason)
                .increment();
    }

    private Counter tagged(Map<String, Counter> byReason, String name, String description, String reason) {
        return byReason.computeIfAbsent(
                reason,
                r -> Counter.builder(name)
                        .description(description)
                        .tag("destination", destinationId)
                        .tag("reason", r)
                        .register(registry));
    }

    void read(int events) {
        read.increment(events);
    }

    void replayed(int events) {
        replayed.increment(events);
    }

    void resent(int events) {
        resent.increment(events);
    }

    void paused(boolean isPaused) {
        paused.set(isPaused ? 1 : 0);
    }

    void redactions(int n) {
        if (n > 0) {
            redacted.increment(n);
        }
    }

    void retried() {
        retried.increment();
    }

    void deadLettered(int events) {
        deadLettered.increment(events);
    }

    void request(Duration latency) {
        request.record(latency);
    }

    void positions(long cursorOffset) {
        cursor.set(cursorOffset);
    }

    void cursor(long cursorOffset) {
        cursor.set(cursorOffset);
    }

    long lag() {
        return (long) lag.value();
    }

    /** Removes this destination's meters (the destination was removed from the policy). */
    void remove() {
        registry.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("veil.delivery.")
                        && destinationId.equals(m.getId().getTag("destination")))
                .forEach(registry::remove);
    }
}

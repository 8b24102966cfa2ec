package dev.veil.server.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one destination, all tagged {@code destination}: {@code veil.delivery.delivered}, {@code
 * veil.delivery.dropped} (tag {@code reason}), {@code veil.delivery.redacted}, {@code veil.delivery.retried},
 * {@code veil.delivery.dead_lettered}, {@code veil.delivery.request} (timer) and {@code veil.delivery.lag}
 * (gauge: head offset minus cursor).
 */
final class DeliveryMetrics {
    private final MeterRegistry registry;
    private final String destinationId;
    private final Counter delivered;
    private final Counter redacted;
    private final Counter retried;
    private final Counter deadLettered;
    private final Timer request;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong cursor = new AtomicLong();
    private final Gauge lag;
    private final Map<String, Counter> dropped = new ConcurrentHashMap<>();

    DeliveryMetrics(MeterRegistry registry, String destinationId) {
        this.registry = registry;
        this.destinationId = destinationId;
        delivered = counter("veil.delivery.delivered", "events accepted by the vendor");
        redacted = counter("veil.delivery.redacted", "values redacted by the privacy engine (PHI detectors)");
        retried = counter("veil.delivery.retried", "request attempts that will be retried");
        deadLettered = counter("veil.delivery.dead_lettered", "events moved to the dead-letter store");
        request = Timer.builder("veil.delivery.request")
                .description("vendor request latency")
                .tag("destination", destinationId)
                .register(registry);
        lag = Gauge.builder("veil.delivery.lag", this, m -> Math.max(0, m.head.get() - m.cursor.get()))
                .description("events in the log not yet finalized for this destination")
                .tag("destination", destinationId)
                .register(registry);
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

    void dropped(String reason) {
        dropped.computeIfAbsent(
                        reason,
                        r -> Counter.builder("veil.delivery.dropped")
                                .description("events the policy did not let through")
                                .tag("destination", destinationId)
                                .tag("reason", r)
                                .register(registry))
                .increment();
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

    void positions(long headOffset, long cursorOffset) {
        head.set(headOffset);
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

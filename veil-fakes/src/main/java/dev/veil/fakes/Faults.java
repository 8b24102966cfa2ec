package dev.veil.fakes;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The fault script of one fake server: which requests misbehave, and how. Scripts combine; the first matching rule
 * wins in this order: "next N", "for duration D", "every k-th". Thread-safe (all methods synchronized).
 */
public final class Faults {

    private final Deque<Fault> next = new ArrayDeque<>();
    private @Nullable Fault during;
    private long duringUntilNanos;
    private @Nullable Fault periodic;
    private int every;
    private long requestCount;

    /** The next {@code n} requests get {@code fault}; queued after any earlier "next" faults. */
    public synchronized Faults failNext(int n, Fault fault) {
        for (int i = 0; i < n; i++) {
            next.addLast(fault);
        }
        return this;
    }

    /** Every request in the next {@code duration} gets {@code fault}. */
    public synchronized Faults failFor(Duration duration, Fault fault) {
        during = fault;
        duringUntilNanos = System.nanoTime() + duration.toNanos();
        return this;
    }

    /** Every {@code k}-th request (counting all requests from now on) gets {@code fault}. */
    public synchronized Faults failEvery(int k, Fault fault) {
        if (k < 1) {
            throw new IllegalArgumentException("failEvery: k must be at least 1, was " + k);
        }
        periodic = fault;
        every = k;
        requestCount = 0;
        return this;
    }

    /** Removes every scripted fault. */
    public synchronized Faults clear() {
        next.clear();
        during = null;
        periodic = null;
        return this;
    }

    /** Called once per incoming request: the fault to apply, if any. */
    synchronized Optional<Fault> nextFault() {
        requestCount++;
        if (!next.isEmpty()) {
            return Optional.of(next.removeFirst());
        }
        if (during != null && System.nanoTime() - duringUntilNanos < 0) {
            return Optional.of(during);
        }
        if (periodic != null && requestCount % every == 0) {
            return Optional.of(periodic);
        }
        return Optional.empty();
    }
}

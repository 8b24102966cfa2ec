package dev.veil.server.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM and SIGINT into an orderly stop that exits 0. Without it the JVM's own handler starts shutdown
 * and the process exits 143 (128 + SIGTERM) or 130, which service managers report as a failure. The command
 * waits in {@link #await}, closes what it runs, returns 0, and {@code main} exits with it. A shutdown hook stays
 * in place for every other way the JVM may stop.
 */
public final class StopSignal implements AutoCloseable {

    private final CountDownLatch received = new CountDownLatch(1);
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private StopSignal() {}

    /** Handles SIGTERM and SIGINT from now on. */
    public static StopSignal install() {
        StopSignal stop = new StopSignal();
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal signal = new Signal(name);
                stop.previous.put(signal, Signal.handle(signal, s -> stop.received.countDown()));
            } catch (IllegalArgumentException e) {
                // this platform has no such signal (or the JVM reserves it): the JVM's default stays
            }
        }
        return stop;
    }

    /** Puts the handlers back that were in place before {@link #install()}. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
        previous.clear();
    }

    /** Waits up to {@code timeout} for a stop signal; true if one arrived. */
    public boolean await(java.time.Duration timeout) throws InterruptedException {
        return received.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Blocks until a stop signal arrives. */
    public void await() throws InterruptedException {
        received.await();
    }

    /**
     * Runs {@code work} the first time only; a later call (the shutdown hook after an orderly stop) waits until
     * it has finished.
     */
    public static Runnable once(Runnable work) {
        AtomicBoolean started = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        return () -> {
            if (started.compareAndSet(false, true)) {
                try {
                    work.run();
                } finally {
                    done.countDown();
                }
            } else {
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}

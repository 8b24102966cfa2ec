package dev.veil.bench;

import dev.veil.core.engine.Decision;
import dev.veil.core.engine.DefaultPrivacyEngine;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Privacy engine throughput: a realistic 1.5 KB event with 30 properties through a realistic 5-destination
 * policy. The score is event-destination evaluations per second on one thread.
 *
 * <p>{@code evaluateFiveDestinations} evaluates the same event again and again, so the engine's caches (parsed
 * page URLs, geo lookups, user agents) always hit. {@code evaluateFiveDestinationsDistinctVisitors} cycles
 * through 120,000 events of distinct visitors (ids, IPs, click ids and page URLs all distinct; 500 user agents),
 * more than the URL (10,000) and geo (100,000) caches hold, so those lookups miss as for new visitors.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xms2g", "-Xmx2g"})
@Threads(1)
public class EngineBenchmark {

    private DefaultPrivacyEngine engine;
    private RawEvent event;
    private List<DestinationPolicy> destinations;

    @Setup
    public void setUp() {
        engine = BenchFixtures.engine();
        event = BenchFixtures.event();
        destinations = BenchFixtures.destinations();
        for (DestinationPolicy d : destinations) {
            if (!(engine.evaluate(event, d) instanceof Decision.Forward)) {
                throw new IllegalStateException("benchmark event must be forwarded to " + d.id());
            }
        }
    }

    /** 120,000 events of distinct visitors, created only for the benchmark that uses them. */
    @State(Scope.Thread)
    public static class Visitors {
        private RawEvent[] events;
        private int next;

        @Setup
        public void setUp(EngineBenchmark bench) {
            events = BenchFixtures.distinctVisitors(120_000).toArray(RawEvent[]::new);
            for (DestinationPolicy d : bench.destinations) {
                if (!(bench.engine.evaluate(events[7], d) instanceof Decision.Forward)) {
                    throw new IllegalStateException("visitor events must be forwarded to " + d.id());
                }
            }
        }

        RawEvent next() {
            RawEvent e = events[next];
            next = next + 1 == events.length ? 0 : next + 1;
            return e;
        }
    }

    @Benchmark
    @OperationsPerInvocation(5)
    public void evaluateFiveDestinations(Blackhole bh) {
        for (DestinationPolicy d : destinations) {
            bh.consume(engine.evaluate(event, d));
        }
    }

    @Benchmark
    @OperationsPerInvocation(5)
    public void evaluateFiveDestinationsDistinctVisitors(Visitors visitors, Blackhole bh) {
        RawEvent e = visitors.next();
        for (DestinationPolicy d : destinations) {
            bh.consume(engine.evaluate(e, d));
        }
    }
}

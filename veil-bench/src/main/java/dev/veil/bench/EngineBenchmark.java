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
 * Privacy engine throughput: one realistic 1.5 KB event with 30 properties through a realistic 5-destination
 * policy. The score is event-destination evaluations per second on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgs = {"-Xms1g", "-Xmx1g"})
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

    @Benchmark
    @OperationsPerInvocation(5)
    public void evaluateFiveDestinations(Blackhole bh) {
        for (DestinationPolicy d : destinations) {
            bh.consume(engine.evaluate(event, d));
        }
    }
}

package dev.veil.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * The engine benchmark's baseline: what a forwarder without any privacy work does per destination with the same
 * event — copy its JSON tree and write it out ({@code deepCopy} + {@code writeValueAsBytes}), five times, one per
 * destination. {@code ./veil bench engine} reports the engine's evaluations/s as a ratio to this.
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
public class JsonBaselineBenchmark {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ObjectNode message;

    @Setup
    public void setUp() {
        message = BenchFixtures.event().message();
    }

    @Benchmark
    @OperationsPerInvocation(5)
    public void copyAndWriteFiveTimes(Blackhole bh) throws Exception {
        for (int i = 0; i < 5; i++) {
            bh.consume(MAPPER.writeValueAsBytes(message.deepCopy()));
        }
    }
}

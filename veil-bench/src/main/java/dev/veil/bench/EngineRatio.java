package dev.veil.bench;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./veil bench engine}: the privacy engine ({@link EngineBenchmark}, same event, five destinations) and its
 * baseline ({@link JsonBaselineBenchmark}, a JSON copy and write of the same event per destination) in one JMH run,
 * with the ratio.
 */
final class EngineRatio {

    private EngineRatio() {}

    static void run(int iterationSeconds) throws Exception {
        System.out.printf(Locale.ROOT, "veil bench engine: load average %.2f%n", ProcessStats.loadAverage());
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                        .include(EngineBenchmark.class.getName() + ".evaluateFiveDestinations$")
                        .include(JsonBaselineBenchmark.class.getName() + ".copyAndWriteFiveTimes")
                        .forks(1)
                        .warmupIterations(3)
                        .warmupTime(TimeValue.seconds(iterationSeconds))
                        .measurementIterations(5)
                        .measurementTime(TimeValue.seconds(iterationSeconds))
                        .build())
                .run();
        double engine = 0;
        double bare = 0;
        for (RunResult r : results) {
            double score = r.getPrimaryResult().getScore();
            if (r.getParams().getBenchmark().contains("JsonBaseline")) {
                bare = score;
            } else {
                engine = score;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%n| target | evaluations/s (one thread) |%n|---|---|%n| bare JSON copy + write | %,.0f |%n"
                        + "| privacy engine | %,.0f |%n%nratio engine / bare: %.2f%n",
                bare,
                engine,
                engine / bare);
        System.out.printf(Locale.ROOT, "load average after: %.2f%n", ProcessStats.loadAverage());
    }
}

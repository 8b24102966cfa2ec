package dev.veil.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./veil bench soak [--duration 600] [--rate 1000] [--sample 15]}: a steady, bounded load against {@code veil
 * serve} (one source, one webhook destination to a local sink, so delivery runs too) while the server's resident
 * memory and its heap after a full GC are sampled, to see whether memory stays flat.
 *
 * <p>The load is open-loop and paced: two connections send batches of 20 events at {@code --rate} events per
 * second in total, whatever the answers take (a slow answer delays only that connection's next send). Every
 * {@code --sample} seconds it reads the server's RSS ({@code /proc}) and runs {@code jcmd PID GC.class_histogram},
 * which collects the whole heap first: its total is the live set, which a leak makes grow. It prints the series
 * and the least-squares slope (MB per minute) of both over the samples after the first two minutes (start-up and
 * JIT warm-up), and the classes whose live bytes grew most between the first of those samples and the last.
 */
final class SoakBench {

    private static final int BATCH = 20;
    private static final int CONNECTIONS = 2;
    private static final int STEADY_AFTER_SECONDS = 120;
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    private final BenchCommand bench;
    private final Path work;
    private final int durationSeconds;
    private final int rate;
    private final int sampleSeconds;

    SoakBench(BenchCommand bench, Path work, int durationSeconds, int rate, int sampleSeconds) {
        this.bench = bench;
        this.work = work;
        this.durationSeconds = durationSeconds;
        this.rate = rate;
        this.sampleSeconds = sampleSeconds;
    }

    /** One sample: seconds since the load started, RSS and heap after a full GC in MB. */
    record Sample(double seconds, double rssMb, double heapAfterGcMb, long sent, long failed, long delivered) {}

    void run() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "veil bench soak: %d s at %,d events/s (batches of %d on %d connections), sampled every %d s;"
                        + " load average %.2f%n",
                durationSeconds,
                rate,
                BATCH,
                CONNECTIONS,
                sampleSeconds,
                ProcessStats.loadAverage());
        String key = "bench-" + Long.toHexString(System.nanoTime());
        int sinkPort = BenchCommand.freePort();
        try (BenchCommand.Child sink =
                BenchCommand.Child.start(bench.bareCommand(sinkPort), work.resolve("sink.log"))) {
            sink.awaitHttp(sinkPort, "/readyz");
            int port = BenchCommand.freePort();
            Path config = bench.webhookConfig(port, key, sinkPort);
            try (BenchCommand.Child veil =
                    BenchCommand.Child.start(bench.veilCommand(config), work.resolve("veil.log"))) {
                veil.awaitHttp(port, "/readyz");
                List<Sample> samples = soak(veil, sink, sinkPort, port, key);
                report(samples);
            }
        }
        System.out.printf(Locale.ROOT, "load average after: %.2f; logs in %s%n", ProcessStats.loadAverage(), work);
    }

    private List<Sample> soak(BenchCommand.Child veil, BenchCommand.Child sink, int sinkPort, int port, String key)
            throws Exception {
        LongAdder sent = new LongAdder();
        LongAdder failed = new LongAdder();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(durationSeconds);
        String auth = "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
        long periodNanos = (long) (1e9 * BATCH * CONNECTIONS / rate);
        List<Thread> senders = new ArrayList<>();
        long pid = ProcessHandle.current().pid();
        for (int c = 0; c < CONNECTIONS; c++) {
            int conn = c;
            senders.add(Thread.ofPlatform().name("soak-" + c).start(() -> {
                BatchTemplate template = new BatchTemplate(pid, 900_000 + conn, BATCH, false);
                RawHttpConnection http =
                        new RawHttpConnection(URI.create("http://127.0.0.1:" + port), "/v1/batch", auth);
                long next = start + conn * periodNanos / CONNECTIONS;
                while (next < end) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            break;
                        }
                    }
                    try {
                        if (http.post(template.next()) == 200) {
                            sent.add(BATCH);
                        } else {
                            failed.add(BATCH);
                        }
                    } catch (IOException e) {
                        failed.add(BATCH);
                        http.close();
                    }
                    next += periodNanos;
                }
                http.close();
            }));
        }
        List<Sample> samples = new ArrayList<>();
        Map<String, Long> firstSteady = null;
        Map<String, Long> lastHistogram = null;
        System.out.printf(
                Locale.ROOT,
                "%n| s | RSS MB | live heap after full GC MB | events sent | failed | delivered |%n"
                        + "|---|---|---|---|---|---|%n");
        long nextSample = start;
        while (System.nanoTime() < end) {
            long wait = nextSample - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, end - System.nanoTime()));
                if (System.nanoTime() >= end) {
                    break;
                }
            }
            if (!veil.alive()) {
                throw new IllegalStateException("veil exited during the soak; see " + work);
            }
            Map<String, Long> histogram = histogram(veil.pid());
            double heap = histogram.get(TOTAL) / (1024.0 * 1024);
            if ((System.nanoTime() - start) / 1e9 >= STEADY_AFTER_SECONDS && firstSteady == null) {
                firstSteady = histogram;
            }
            lastHistogram = histogram;
            Sample s = new Sample(
                    (System.nanoTime() - start) / 1e9,
                    ProcessStats.rssKb(veil.pid()) / 1024.0,
                    heap,
                    sent.sum(),
                    failed.sum(),
                    sink.count(sinkPort));
            samples.add(s);
            System.out.printf(
                    Locale.ROOT,
                    "| %.0f | %.0f | %.1f | %,d | %,d | %,d |%n",
                    s.seconds(),
                    s.rssMb(),
                    s.heapAfterGcMb(),
                    s.sent(),
                    s.failed(),
                    s.delivered());
            nextSample += TimeUnit.SECONDS.toNanos(sampleSeconds);
        }
        for (Thread t : senders) {
            t.join();
        }
        if (firstSteady != null && lastHistogram != null) {
            Map<String, Long> from = firstSteady;
            Map<String, Long> to = lastHistogram;
            System.out.printf(Locale.ROOT, "%nlive bytes that grew most from the first steady sample to the last:%n");
            to.entrySet().stream()
                    .filter(e -> !e.getKey().equals(TOTAL))
                    .map(e -> Map.entry(e.getKey(), e.getValue() - from.getOrDefault(e.getKey(), 0L)))
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(12)
                    .forEach(e -> System.out.printf(Locale.ROOT, "  %+,12d  %s%n", e.getValue(), e.getKey()));
        }
        return samples;
    }

    private void report(List<Sample> samples) {
        List<Sample> steady = samples.stream().filter(s -> s.seconds() >= 120).toList();
        if (steady.size() < 3) {
            steady = samples;
        }
        System.out.printf(
                Locale.ROOT,
                "%nslope over %d samples from %.0f s: RSS %+.2f MB/min, heap after full GC %+.2f MB/min%n",
                steady.size(),
                steady.isEmpty() ? 0 : steady.get(0).seconds(),
                slopePerMinute(steady, Sample::rssMb),
                slopePerMinute(steady, Sample::heapAfterGcMb));
    }

    /** The least-squares slope of {@code y} over the samples' time, per minute. */
    static double slopePerMinute(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> y) {
        int n = samples.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mx =
                samples.stream().mapToDouble(s -> s.seconds() / 60).average().orElse(0);
        double my = samples.stream().mapToDouble(y).average().orElse(0);
        double num = 0;
        double den = 0;
        for (Sample s : samples) {
            double dx = s.seconds() / 60 - mx;
            num += dx * (y.applyAsDouble(s) - my);
            den += dx * dx;
        }
        return num / den;
    }

    /** The live classes after a full collection ({@code jcmd PID GC.class_histogram}): bytes by class name. */
    private static Map<String, Long> histogram(long pid) throws IOException, InterruptedException {
        String out = jcmd(pid, "GC.class_histogram");
        Map<String, Long> bytes = new HashMap<>();
        Matcher row = HISTOGRAM_ROW.matcher(out);
        while (row.find()) {
            bytes.merge(row.group(3), Long.parseLong(row.group(2)), Long::sum);
        }
        Matcher total = HISTOGRAM_TOTAL.matcher(out);
        bytes.put(TOTAL, total.find() ? Long.parseLong(total.group(1)) : -1L);
        return bytes;
    }

    private static final String TOTAL = "(total)";

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), command)
                .redirectErrorStream(true)
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}

package dev.veil.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop HTTP load generator for the ingest API: N connections each send a batch of events (or one event
 * to {@code /v1/track}), wait for the answer, and send the next, until the duration or the event count is reached.
 * Reports events/s, request latency p50/p99/p999 and failed requests; {@code ./veil bench ingest}
 * ({@link BenchCommand}) runs it against Veil and a bare endpoint in the same run.
 *
 * <p>It is built to cost the server as little CPU as possible when both share a machine: bodies come from a
 * per-connection {@link BatchTemplate} (unique messageIds written in place) and requests go over a minimal
 * keep-alive HTTP/1.1 client on a blocking socket ({@link RawHttpConnection}) instead of the JDK's client.
 *
 * <pre>
 * java -cp benchmarks.jar dev.veil.bench.LoadGenerator --url http://127.0.0.1:8080 --write-key KEY \
 *     --connections 32 --batch 20 --duration 30s [--events 1000000] [--pid 1234]
 * </pre>
 */
public final class LoadGenerator {

    private LoadGenerator() {}

    /**
     * What to send.
     *
     * @param batch events per request; 1 with {@code single} sends one event per {@code /v1/track} call
     * @param single send single-event calls ({@code /v1/track}) instead of {@code /v1/batch}
     */
    record Options(
            URI url,
            String writeKey,
            int connections,
            int batch,
            boolean single,
            Duration duration,
            long maxEvents,
            long pid) {
        String path() {
            return single ? "/v1/track" : "/v1/batch";
        }
    }

    /**
     * What was measured.
     *
     * @param latencies request latencies in nanoseconds, sorted
     */
    record Result(long events, long failedRequests, double seconds, long[] latencies) {
        double eventsPerSecond() {
            return events / seconds;
        }

        double requestsPerSecond() {
            return latencies.length / seconds;
        }

        /** The q-quantile of request latency, in milliseconds. */
        double latencyMillis(double q) {
            if (latencies.length == 0) {
                return 0;
            }
            return latencies[(int) Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] / 1e6;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        Result r = run(o);
        System.out.printf(
                Locale.ROOT,
                "connections=%d batch=%d duration=%.1fs events=%d failedRequests=%d%n",
                o.connections(),
                o.batch(),
                r.seconds(),
                r.events(),
                r.failedRequests());
        System.out.printf(
                Locale.ROOT,
                "throughput=%.0f events/s (%.0f requests/s)%n",
                r.eventsPerSecond(),
                r.requestsPerSecond());
        System.out.printf(
                Locale.ROOT,
                "latency p50=%.2fms p99=%.2fms p999=%.2fms max=%.2fms%n",
                r.latencyMillis(0.50),
                r.latencyMillis(0.99),
                r.latencyMillis(0.999),
                r.latencyMillis(1.0));
        if (o.pid() > 0) {
            System.out.println("server RSS=" + ProcessStats.rssKb(o.pid()) + " kB");
        }
    }

    /** Runs the load and returns the figures; every request that did not answer 200 counts as failed. */
    static Result run(Options o) throws InterruptedException {
        String auth =
                "Basic " + Base64.getEncoder().encodeToString((o.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
        LongAdder events = new LongAdder();
        LongAdder failures = new LongAdder();
        AtomicLong issued = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        long deadline = System.nanoTime() + o.duration().toNanos();
        long started = System.nanoTime();
        long pid = ProcessHandle.current().pid();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < o.connections(); c++) {
            BatchTemplate template =
                    new BatchTemplate(pid, c + (int) (started % 100_000) * 1_000, o.batch(), o.single());
            long[] lat = new long[4_000_000 / o.connections()];
            latencies.add(lat);
            threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                int n = 0;
                RawHttpConnection http = new RawHttpConnection(o.url(), o.path(), auth);
                while (System.nanoTime() < deadline && issued.addAndGet(o.batch()) <= o.maxEvents()) {
                    byte[] body = template.next();
                    long t0 = System.nanoTime();
                    try {
                        if (http.post(body) == 200) {
                            events.add(o.batch());
                        } else {
                            failures.increment();
                        }
                    } catch (IOException e) {
                        failures.increment();
                        http.close();
                    }
                    if (n < lat.length - 1) {
                        lat[n++] = System.nanoTime() - t0;
                    }
                }
                http.close();
                lat[lat.length - 1] = n; // count of samples kept in the last slot
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] all = merge(latencies);
        Arrays.sort(all);
        return new Result(events.sum(), failures.sum(), seconds, all);
    }

    private static long[] merge(List<long[]> parts) {
        int total = 0;
        for (long[] p : parts) {
            total += (int) p[p.length - 1];
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] p : parts) {
            int n = (int) p[p.length - 1];
            System.arraycopy(p, 0, all, at, n);
            at += n;
        }
        return all;
    }

    private static Options parse(String[] args) {
        URI url = URI.create("http://127.0.0.1:8080");
        String key = null;
        int connections = 32;
        int batch = 20;
        boolean single = false;
        Duration duration = Duration.ofSeconds(30);
        long max = Long.MAX_VALUE;
        long pid = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--url" -> url = URI.create(v);
                case "--write-key" -> key = v;
                case "--connections" -> connections = Integer.parseInt(v);
                case "--batch" -> batch = Integer.parseInt(v);
                case "--single" -> single = Boolean.parseBoolean(v);
                case "--duration" -> duration = Duration.ofSeconds(Long.parseLong(v.replace("s", "")));
                case "--events" -> max = Long.parseLong(v);
                case "--pid" -> pid = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (key == null) {
            throw new IllegalArgumentException("--write-key is required");
        }
        return new Options(url, key, connections, single ? 1 : batch, single, duration, max, pid);
    }
}

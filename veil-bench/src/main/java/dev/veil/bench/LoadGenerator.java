package dev.veil.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A closed-loop HTTP load generator for {@code /v1/batch}: N connections each send a batch of events, wait for
 * the answer, and send the next, until the duration or the event count is reached. Prints events/s, request
 * latency p50/p99 and, given the server's pid, its resident memory from {@code /proc}.
 *
 * <p>It is built to cost the server as little CPU as possible when both share a machine: bodies come from a
 * per-connection {@link BatchTemplate} (unique messageIds written in place) and requests go over a minimal
 * keep-alive HTTP/1.1 client on a blocking socket ({@link RawHttpConnection}) instead of the JDK's client.
 *
 * <pre>
 * java -cp veil-bench.jar dev.veil.bench.LoadGenerator --url http://127.0.0.1:8080 --write-key KEY \
 *     --connections 32 --batch 20 --duration 30s [--events 1000000] [--pid 1234]
 * </pre>
 */
public final class LoadGenerator {

    private LoadGenerator() {}

    record Options(URI url, String writeKey, int connections, int batch, Duration duration, long maxEvents, long pid) {}

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
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
            BatchTemplate template = new BatchTemplate(pid, c, o.batch());
            long[] lat = new long[4_000_000 / o.connections()];
            latencies.add(lat);
            threads.add(Thread.ofPlatform().name("load-" + c).start(() -> {
                int n = 0;
                RawHttpConnection http = new RawHttpConnection(o.url(), "/v1/batch", auth);
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
        System.out.printf(
                Locale.ROOT,
                "connections=%d batch=%d duration=%.1fs events=%d failedRequests=%d%n",
                o.connections(),
                o.batch(),
                seconds,
                events.sum(),
                failures.sum());
        System.out.printf(
                Locale.ROOT,
                "throughput=%.0f events/s (%.0f requests/s)%n",
                events.sum() / seconds,
                all.length / seconds);
        System.out.printf(
                Locale.ROOT,
                "latency p50=%.2fms p99=%.2fms max=%.2fms%n",
                pct(all, 0.50) / 1e6,
                pct(all, 0.99) / 1e6,
                all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        if (o.pid() > 0) {
            System.out.println("server RSS=" + rss(o.pid()));
        }
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

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    private static String rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return line.substring(6).trim();
                }
            }
            return "unknown";
        } catch (Exception e) {
            return "unavailable (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static Options parse(String[] args) {
        URI url = URI.create("http://127.0.0.1:8080");
        String key = null;
        int connections = 32;
        int batch = 20;
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
                case "--duration" -> duration = Duration.ofSeconds(Long.parseLong(v.replace("s", "")));
                case "--events" -> max = Long.parseLong(v);
                case "--pid" -> pid = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (key == null) {
            throw new IllegalArgumentException("--write-key is required");
        }
        return new Options(url, key, connections, batch, duration, max, pid);
    }
}

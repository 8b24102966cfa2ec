package dev.veil.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * {@code ./veil bench start}: how long {@code veil serve} takes from launch to listening and from launch to ready
 * ({@code /readyz} 200: the store is writable, the policy is applied and delivery runs), over N launches on an
 * existing data directory with one source and one webhook destination; and, in the same run and alternating
 * with it, how long the {@link BareServer} (same HTTP stack, nothing else) takes from launch to listening, so that
 * the figure is also a ratio to what the JVM and Jetty alone cost on this machine at this moment.
 *
 * <p>Both are polled with a plain socket ({@code GET /readyz}, a new connection each time) every {@code --poll-ms}
 * milliseconds from just before the process is launched: the first answer of any status is "listening", the
 * first {@code 200} "ready". The first launch creates the data directory (master key, stores, the policy's first
 * version) and is reported apart; it is not counted. Veil is measured twice per round: as {@code java -jar}, and
 * as the {@code ./veil} launcher starts it, with a class data sharing archive (written by the JVM at the first
 * stop, also reported apart, and mapped at every later start).
 */
final class StartBench {

    private final Path work;
    private final int runs;
    private final int pollMillis;
    private final BenchCommand bench;

    StartBench(BenchCommand bench, Path work, int runs, int pollMillis) {
        this.bench = bench;
        this.work = work;
        this.runs = runs;
        this.pollMillis = pollMillis;
    }

    /**
     * What one launch took, in milliseconds from just before the launch ({@code NaN}: never reached), and the CPU
     * seconds the process had used when it answered ready (all its threads: less sensitive to a busy machine than
     * the wall-clock figures).
     */
    record Launch(double listeningMs, double readyMs, double cpuAtReady) {}

    void run() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "veil bench start: %d launches of veil serve (one source, one webhook destination, existing data"
                        + " directory) alternating with the bare server, /readyz polled every %d ms; load average"
                        + " %.2f%n",
                runs,
                pollMillis,
                ProcessStats.loadAverage());
        String key = "bench-" + Long.toHexString(System.nanoTime());
        int sinkPort = BenchCommand.freePort();
        try (BenchCommand.Child sink = BenchCommand.Child.start(bareCommand(sinkPort), work.resolve("sink.log"))) {
            sink.awaitHttp(sinkPort, "/readyz");
            int veilPort = BenchCommand.freePort();
            Path config = bench.webhookConfig(veilPort, key, sinkPort);
            Launch first = launchVeil(config, veilPort, "first", List.of());
            System.out.printf(
                    Locale.ROOT,
                    "first start (creates the data directory): listening %.0f ms, ready %.0f ms, CPU %.2f s%n",
                    first.listeningMs(),
                    first.readyMs(),
                    first.cpuAtReady());
            // As ./veil starts serve: with a class data sharing archive that the JVM writes at its first stop.
            List<String> cds =
                    List.of("-XX:SharedArchiveFile=" + work.resolve("serve.jsa"), "-XX:+AutoCreateSharedArchive");
            Launch archive = launchVeil(config, veilPort, "cds-first", cds);
            System.out.printf(
                    Locale.ROOT,
                    "first start with class data sharing (writes the archive at exit): ready %.0f ms, CPU %.2f s%n",
                    archive.readyMs(),
                    archive.cpuAtReady());
            List<Launch> bare = new ArrayList<>();
            List<Launch> plain = new ArrayList<>();
            List<Launch> shared = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                double load = ProcessStats.loadAverage();
                int barePort = BenchCommand.freePort();
                Launch b = launch(bareCommand(barePort), barePort, work.resolve("bare-" + i + ".log"));
                Launch v = launchVeil(config, veilPort, Integer.toString(i), List.of());
                Launch c = launchVeil(config, veilPort, "cds-" + i, cds);
                bare.add(b);
                plain.add(v);
                shared.add(c);
                System.out.printf(
                        Locale.ROOT,
                        "run %d (load average %.2f): bare listening %.0f ms (CPU %.2f s); veil listening %.0f ms,"
                                + " ready %.0f ms (CPU %.2f s); with CDS listening %.0f ms, ready %.0f ms (CPU %.2f s)%n",
                        i,
                        load,
                        b.listeningMs(),
                        b.cpuAtReady(),
                        v.listeningMs(),
                        v.readyMs(),
                        v.cpuAtReady(),
                        c.listeningMs(),
                        c.readyMs(),
                        c.cpuAtReady());
            }
            double bareMedian = median(values(bare, Launch::listeningMs));
            System.out.printf(
                    Locale.ROOT,
                    "%n| launch → | median ms | max ms | median ratio to bare listening | CPU s at ready (median) |%n"
                            + "|---|---|---|---|---|%n");
            row("bare server listening", bare, Launch::listeningMs, bareMedian);
            row("veil listening (java -jar)", plain, Launch::listeningMs, bareMedian);
            row("veil ready (java -jar)", plain, Launch::readyMs, bareMedian);
            row("veil listening (as ./veil: class data sharing)", shared, Launch::listeningMs, bareMedian);
            row("veil ready (as ./veil: class data sharing)", shared, Launch::readyMs, bareMedian);
            System.out.printf(
                    Locale.ROOT, "%nload average after: %.2f; logs in %s%n", ProcessStats.loadAverage(), work);
        }
    }

    private static void row(String name, List<Launch> launches, ToDoubleFunction<Launch> figure, double bareMedian) {
        double[] ms = values(launches, figure);
        System.out.printf(
                Locale.ROOT,
                "| %s | %.0f | %.0f | %.2f | %.2f |%n",
                name,
                median(ms),
                Arrays.stream(ms).max().orElse(Double.NaN),
                median(ms) / bareMedian,
                median(values(launches, Launch::cpuAtReady)));
    }

    private static double[] values(List<Launch> launches, ToDoubleFunction<Launch> figure) {
        return launches.stream().mapToDouble(figure).toArray();
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private List<String> bareCommand(int port) {
        return bench.bareCommand(port);
    }

    private Launch launchVeil(Path config, int port, String run, List<String> jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(bench.veilCommand(config));
        command.addAll(1, jvmOptions);
        return launch(command, port, work.resolve("veil-" + run + ".log"));
    }

    /** Launches {@code command}, polls its {@code /readyz} until 200 (at most 120 s), then stops it (SIGTERM). */
    private Launch launch(List<String> command, int port, Path log) throws Exception {
        long t0 = System.nanoTime();
        double listening = Double.NaN;
        double ready = Double.NaN;
        double cpu = Double.NaN;
        boolean dumped = false;
        try (BenchCommand.Child child = BenchCommand.Child.start(command, log)) {
            long until = t0 + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < until) {
                int status = status(port);
                double at = (System.nanoTime() - t0) / 1e6;
                if (status > 0 && Double.isNaN(listening)) {
                    listening = at;
                }
                if (!Double.isNaN(listening) && at - listening > STALL_MS && !dumped) {
                    // Listening but not ready for long: keep the threads' stacks to see what start-up waits for.
                    dumped = true;
                    Path dump = Path.of(log + ".threads.txt");
                    jcmd(child.pid(), "Thread.print", dump);
                    System.out.printf(
                            Locale.ROOT,
                            "  (not ready %.0f ms after listening: thread dump in %s)%n",
                            at - listening,
                            dump);
                }
                if (status == 200) {
                    ready = at;
                    cpu = ProcessStats.cpuSeconds(child.pid());
                    break;
                }
                if (!child.alive()) {
                    throw new IllegalStateException("the child exited during start-up; see " + log);
                }
                Thread.sleep(pollMillis);
            }
        }
        if (Double.isNaN(ready)) {
            throw new IllegalStateException("not ready within 120 s; see " + log);
        }
        return new Launch(listening, ready, cpu);
    }

    /** Listening but not ready for this long: the bench saves a thread dump of the child. */
    private static final double STALL_MS = 3_000;

    private static void jcmd(long pid, String command, Path out) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid), command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    /** The status of {@code GET /readyz} on a new connection, or 0 when nothing listens (or answers) yet. */
    static int status(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            int n = 0;
            while (n < head.length) {
                int r = in.read(head, n, head.length - n);
                if (r < 0) {
                    return 0;
                }
                n += r;
            }
            String line = new String(head, StandardCharsets.US_ASCII); // "HTTP/1.1 200"
            return Integer.parseInt(line.substring(9, 12));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}

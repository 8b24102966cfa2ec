package dev.veil.bench;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./veil bench ingest|delivery|engine}: Veil's speed as a ratio to a bare baseline measured <b>in the same
 * run</b> on the same machine, so that a noisy or shared machine moves both figures alike.
 *
 * <ul>
 *   <li>{@code ingest}: the load generator against the {@link BareServer} (same HTTP stack, parses the JSON, answers
 *       200), then against {@code veil serve} (SQLite, or each kind {@code --event-log} names; fsync before 200);
 *       all as child JVMs with the same heap.
 *       Reports events/s, p50/p99/p999, failed requests, the server's peak RSS and CPU.
 *   <li>{@code delivery}: Veil drains a backlog of events through the privacy engine and the webhook connector to a
 *       local sink; the baseline sends the same number of events in the same batch size over the JDK HTTP client
 *       to the same sink.
 *   <li>{@code engine}: JMH, the privacy engine against a JSON round trip of the same event.
 *   <li>{@code start}: launch to listening and to ready of {@code veil serve}, against the bare server's launch to
 *       listening ({@link StartBench}).
 *   <li>{@code soak}: a steady, bounded load for {@code --duration} seconds while the server's RSS and heap after GC
 *       are sampled ({@link SoakBench}).
 *   <li>{@code writer}: the event log's write path alone, Veil's SQLite log against a RocksDB prototype
 *       ({@link WriterBench}; {@code --producers 64 --batch 20 --dup-percent 1 --warmup 5 --duration 15 --rounds 2
 *       --nosync true}; {@code --stores sqlite,sqlite-page8k} compares SQLite page sizes instead).
 * </ul>
 *
 * Options ({@code --name value}): {@code --connections 64 --batch 20 --duration 20 --warmup 8 --heap 320m
 * --single false --events 200000 --veil-jar veil-server/target/veil-server-all.jar}; {@code ingest}: {@code --event-log
 * sqlite,rocksdb} measures Veil once per event log kind in the same run ({@code delivery}, {@code start} and
 * {@code soak} take one kind: {@code --event-log rocksdb}); {@code start}: {@code --runs 10
 * --poll-ms 10}; {@code soak}: {@code --duration 600 --rate 1000 --sample 15}.
 */
public final class BenchCommand {

    private final Map<String, String> options;
    private final Path work;

    private BenchCommand(Map<String, String> options) throws IOException {
        this.options = options;
        this.work = Files.createTempDirectory("veil-bench-");
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0
                || !List.of("ingest", "delivery", "engine", "start", "soak", "writer")
                        .contains(args[0])) {
            System.err.println(
                    "usage: veil bench ingest|delivery|engine|start|soak|writer [--connections N] [--batch N]"
                            + " [--duration S] [--warmup S] [--single true] [--events N] [--runs N] [--poll-ms N] [--rate N]"
                            + " [--sample S] [--heap 320m] [--veil-jar PATH] [--event-log sqlite,rocksdb]");
            System.exit(2);
        }
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        BenchCommand bench = new BenchCommand(o);
        switch (args[0]) {
            case "ingest" -> bench.ingest();
            case "delivery" -> bench.delivery();
            case "start" ->
                new StartBench(bench, bench.work, bench.intOption("runs", 10), bench.intOption("poll-ms", 10)).run();
            case "soak" ->
                new SoakBench(
                                bench,
                                bench.work,
                                bench.intOption("duration", 600),
                                bench.intOption("rate", 1000),
                                bench.intOption("sample", 15))
                        .run();
            case "writer" ->
                WriterBench.run(
                        bench.intOption("producers", 64),
                        bench.intOption("batch", 20),
                        Duration.ofSeconds(bench.intOption("warmup", 5)),
                        Duration.ofSeconds(bench.intOption("duration", 15)),
                        Double.parseDouble(o.getOrDefault("dup-percent", "1")),
                        bench.intOption("rounds", 2),
                        Boolean.parseBoolean(o.getOrDefault("nosync", "true")),
                        o.getOrDefault("stores", ""),
                        bench.work);
            default -> EngineRatio.run(Integer.parseInt(o.getOrDefault("duration", "2")));
        }
        System.exit(0);
    }

    private int intOption(String name, int dflt) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(dflt)));
    }

    // ---- ingest ------------------------------------------------------------------------------------------

    private void ingest() throws Exception {
        int connections = intOption("connections", 64);
        boolean single = Boolean.parseBoolean(options.getOrDefault("single", "false"));
        int batch = single ? 1 : intOption("batch", 20);
        Duration duration = Duration.ofSeconds(intOption("duration", 20));
        Duration warmup = Duration.ofSeconds(intOption("warmup", 8));
        String key = "bench-" + Long.toHexString(System.nanoTime());
        System.out.printf(
                Locale.ROOT,
                "veil bench ingest: %d connections, %s, %d s measured after %d s warm-up, heap %s; load average %.2f%n",
                connections,
                single ? "single events (/v1/track)" : "batches of " + batch + " (/v1/batch)",
                duration.toSeconds(),
                warmup.toSeconds(),
                heap(),
                ProcessStats.loadAverage());

        List<Row> rows = new ArrayList<>();
        int barePort = freePort();
        try (Child bare = Child.start(bareCommand(barePort), work.resolve("bare.log"))) {
            bare.awaitHttp(barePort, "/readyz");
            awaitQuiet("bare endpoint", bare);
            rows.add(measure("bare endpoint", bare, barePort, key, connections, batch, single, duration, warmup));
        }
        // --event-log sqlite,rocksdb: Veil once per event log kind, each on a data directory of its own.
        List<String> kinds = List.of(options.getOrDefault("event-log", "sqlite").split(","));
        for (String kind : kinds) {
            if (!List.of("sqlite", "rocksdb").contains(kind)) {
                throw new IllegalArgumentException("--event-log: each kind must be sqlite or rocksdb, was " + kind);
            }
        }
        for (String kind : kinds) {
            int veilPort = freePort();
            String name = kinds.size() == 1 && kind.equals("sqlite") ? "veil" : "veil (" + kind + ")";
            Path config = veilConfig(veilPort, key);
            writeConfig(veilPort, "eventLog: " + kind + "\n", "data-" + kind);
            try (Child veil = Child.start(veilCommand(config), work.resolve("veil-" + kind + ".log"))) {
                veil.awaitHttp(veilPort, "/readyz");
                awaitQuiet(name, veil);
                rows.add(measure(name, veil, veilPort, key, connections, batch, single, duration, warmup));
            }
        }
        print(rows, "events/s");
        System.out.printf(Locale.ROOT, "load average after: %.2f; logs in %s%n", ProcessStats.loadAverage(), work);
    }

    /**
     * Waits until the server has finished its start-up work (JIT of start-up code, Veil's user-agent parser built
     * in the background after {@code /readyz}): ready is not idle, and on 2 cores seconds of background start-up
     * CPU would land in the warm-up or the measured window. Quiet = below 0.1 cores over half a second; gives up
     * after 60 s and says so.
     */
    private static void awaitQuiet(String name, Child server) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        double last = ProcessStats.cpuSeconds(server.pid());
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            double now = ProcessStats.cpuSeconds(server.pid());
            if (now - last < 0.05) {
                return;
            }
            last = now;
        }
        System.out.printf(Locale.ROOT, "note: %s was still busy 60 s after it answered /readyz%n", name);
    }

    private Row measure(
            String name,
            Child server,
            int port,
            String key,
            int connections,
            int batch,
            boolean single,
            Duration duration,
            Duration warmup)
            throws Exception {
        URI url = URI.create("http://127.0.0.1:" + port);
        LoadGenerator.run(new LoadGenerator.Options(url, key, connections, batch, single, warmup, Long.MAX_VALUE, 0));
        double cpu0 = ProcessStats.cpuSeconds(server.pid());
        LoadGenerator.Result r = LoadGenerator.run(
                new LoadGenerator.Options(url, key, connections, batch, single, duration, Long.MAX_VALUE, 0));
        double cpu = ProcessStats.cpuSeconds(server.pid()) - cpu0;
        return new Row(
                name,
                r.eventsPerSecond(),
                r.latencyMillis(0.5),
                r.latencyMillis(0.99),
                r.latencyMillis(0.999),
                r.failedRequests(),
                ProcessStats.peakRssKb(server.pid()) / 1024,
                cpu / r.seconds());
    }

    private Path veilConfig(int port, String key) throws IOException {
        Files.writeString(work.resolve("write.key"), key + "\n");
        Files.writeString(
                work.resolve("policy.yaml"),
                "version: 1\nsources:\n  - id: bench\n    name: Bench\n    writeKey: ${file:"
                        + work.resolve("write.key") + "}\ndestinations: []\n");
        return writeConfig(port, "");
    }

    /** Veil's config with the bench source and one webhook destination (to the bare server on {@code sinkPort}). */
    Path webhookConfig(int port, String key, int sinkPort) throws IOException {
        Path config = veilConfig(port, key);
        Files.writeString(work.resolve("hook.secret"), "bench-signing-secret\n");
        Files.writeString(
                work.resolve("policy.yaml"),
                Files.readString(work.resolve("policy.yaml")).replace("destinations: []\n", "")
                        + "destinations:\n  - id: hook\n    type: webhook\n    name: Bench sink\n"
                        + "    settings:\n      url: http://127.0.0.1:" + sinkPort + "/hook\n"
                        + "      signingSecret: ${file:" + work.resolve("hook.secret") + "}\n"
                        + "    events:\n      allow:\n        - name: Appointment Booked\n"
                        + "          properties:\n            service_line: pass\n");
        return config;
    }

    /** Veil's config for the bench: rate limits off and no per-address cap (one client address sends everything). */
    private Path writeConfig(int port, String extra) throws IOException {
        return writeConfig(port, extra + eventLogSetting(), "data");
    }

    /**
     * {@code eventLog: <kind>} when {@code --event-log} names one kind (delivery, start and soak then run Veil on it);
     * nothing otherwise (ingest writes one config per kind itself).
     */
    private String eventLogSetting() {
        String kinds = options.getOrDefault("event-log", "");
        return kinds.isEmpty() || kinds.contains(",") ? "" : "eventLog: " + kinds + "\n";
    }

    private Path writeConfig(int port, String extra, String dataDir) throws IOException {
        Path config = work.resolve("veil.yaml");
        Files.writeString(
                config,
                "listen: {host: 127.0.0.1, port: " + port + "}\nmanagement: {host: 127.0.0.1, port: 0}\n"
                        + "dataDir: " + dataDir + "\npolicy: policy.yaml\n"
                        + "rateLimits: {perIp: off, perSource: off, failedAuthPerIp: off}\n"
                        + "http: {maxConnectionsPerIp: 256, maxConnections: 256}\n" + extra);
        return config;
    }

    // ---- delivery ----------------------------------------------------------------------------------------

    private void delivery() throws Exception {
        int events = intOption("events", 200_000);
        int batch = 100; // the webhook connector's default maxBatchSize
        String key = "bench-" + Long.toHexString(System.nanoTime());
        System.out.printf(
                Locale.ROOT,
                "veil bench delivery: %,d events, webhook batches of %d, heap %s; load average %.2f%n",
                events,
                batch,
                heap(),
                ProcessStats.loadAverage());
        int sinkPort = freePort();
        List<Row> rows = new ArrayList<>();
        try (Child sink = Child.start(bareCommand(sinkPort), work.resolve("sink.log"))) {
            sink.awaitHttp(sinkPort, "/readyz");
            rows.add(BareSender.send(sinkPort, events, batch, sink));

            // Phase 1: the backlog, ingested with no destination (so nothing is delivered yet).
            int veilPort = freePort();
            Path config = veilConfig(veilPort, key);
            try (Child veil = Child.start(veilCommand(config), work.resolve("veil-ingest.log"))) {
                veil.awaitHttp(veilPort, "/readyz");
                LoadGenerator.Result r = LoadGenerator.run(new LoadGenerator.Options(
                        URI.create("http://127.0.0.1:" + veilPort),
                        key,
                        16,
                        50,
                        false,
                        Duration.ofMinutes(10),
                        events,
                        0));
                if (r.events() < events) {
                    throw new IllegalStateException("ingest of the backlog stored " + r.events() + " of " + events);
                }
            }
            // Phase 2: the webhook destination added; on its first start a destination reads the log from the start.
            // The two-person rule (on by default) would keep the changed policy file as a draft awaiting approval,
            // so the bench switches it off as an operator of a file-driven deployment would.
            approvalsOff(config);
            Files.writeString(work.resolve("hook.secret"), "bench-signing-secret\n");
            Files.writeString(
                    work.resolve("policy.yaml"),
                    Files.readString(work.resolve("policy.yaml")).replace("destinations: []\n", "")
                            + "destinations:\n  - id: hook\n    type: webhook\n    name: Bench sink\n"
                            + "    settings:\n      url: http://127.0.0.1:" + sinkPort + "/hook\n"
                            + "      signingSecret: ${file:" + work.resolve("hook.secret") + "}\n"
                            + "    events:\n      allow:\n        - name: Appointment Booked\n"
                            + "          properties:\n            service_line: pass\n");
            long before = sink.count(sinkPort);
            long t0 = System.nanoTime();
            try (Child veil = Child.start(veilCommand(config), work.resolve("veil-deliver.log"))) {
                double cpu0 = ProcessStats.cpuSeconds(veil.pid());
                while (sink.count(sinkPort) - before < events) {
                    if (System.nanoTime() - t0 > TimeUnit.MINUTES.toNanos(10)) {
                        throw new IllegalStateException("delivery did not finish in 10 minutes; see " + work);
                    }
                    Thread.sleep(50);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                rows.add(new Row(
                        "veil (start to last event at the sink)",
                        events / seconds,
                        Double.NaN,
                        Double.NaN,
                        Double.NaN,
                        0,
                        ProcessStats.peakRssKb(veil.pid()) / 1024,
                        (ProcessStats.cpuSeconds(veil.pid()) - cpu0) / seconds));
            }
        }
        print(rows, "events/s");
        System.out.printf(Locale.ROOT, "load average after: %.2f; logs in %s%n", ProcessStats.loadAverage(), work);
    }

    // ---- processes and output -----------------------------------------------------------------------------

    /**
     * The heap the {@code ./veil} launcher gives the JVM by default ({@code -Xmx}); LauncherDefaultsTest checks the
     * launcher against it.
     */
    static final String DEFAULT_HEAP = "320m";

    /**
     * The other memory options the {@code ./veil} launcher passes by default, so that Veil runs here as it runs
     * there (LauncherDefaultsTest): malloc's freed memory returned to the system every 5 s.
     */
    static final List<String> LAUNCHER_MEMORY_OPTIONS = List.of("-XX:TrimNativeHeapInterval=5000");

    private String heap() {
        return options.getOrDefault("heap", DEFAULT_HEAP);
    }

    List<String> bareCommand(int port) {
        return List.of(
                javaBin(),
                "-Xmx" + heap(),
                "-cp",
                absoluteClassPath(),
                BareServer.class.getName(),
                Integer.toString(port));
    }

    /**
     * This JVM's class path with every entry made absolute: children run in the bench's work directory, where a
     * relative entry (as in {@code java -cp veil-bench/target/benchmarks.jar ...}) would name nothing.
     */
    static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** Runs {@code veil policy approvals off --config CONFIG} with the measured jar and waits for it. */
    private void approvalsOff(Path config) throws Exception {
        List<String> command = new ArrayList<>(veilCommand(config));
        int serve = command.indexOf("serve");
        command.subList(serve, command.size()).clear();
        command.addAll(List.of("policy", "approvals", "off", "--config", config.toString()));
        Path log = work.resolve("approvals.log");
        try (Child cli = Child.start(command, log)) {
            if (!cli.process.waitFor(2, TimeUnit.MINUTES) || cli.process.exitValue() != 0) {
                throw new IllegalStateException("veil policy approvals off failed; see " + log);
            }
        }
    }

    List<String> veilCommand(Path config) {
        String jar = options.getOrDefault("veil-jar", "veil-server/target/veil-server-all.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException("veil jar not found at " + jar + " (build first: ./veil build)");
        }
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xmx" + heap()));
        command.addAll(LAUNCHER_MEMORY_OPTIONS);
        // --veil-java-opts '...': more JVM options for veil serve only (e.g. a class data sharing archive).
        for (String opt : options.getOrDefault("veil-java-opts", "").trim().split("\\s+")) {
            if (!opt.isEmpty()) {
                command.add(opt);
            }
        }
        command.addAll(
                List.of("-jar", Path.of(jar).toAbsolutePath().toString(), "serve", "--config", config.toString()));
        return command;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    record Row(
            String target,
            double perSecond,
            double p50,
            double p99,
            double p999,
            long failed,
            long peakRssMb,
            double cpuCores) {}

    private static void print(List<Row> rows, String unit) {
        System.out.printf(
                Locale.ROOT,
                "%n| target | %s | p50 ms | p99 ms | p999 ms | failed requests | peak RSS MB | CPU cores | CPU µs/event |%n"
                        + "|---|---|---|---|---|---|---|---|---|%n",
                unit);
        for (Row r : rows) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %,.0f | %s | %s | %s | %d | %d | %.2f | %.1f |%n",
                    r.target(),
                    r.perSecond(),
                    millis(r.p50()),
                    millis(r.p99()),
                    millis(r.p999()),
                    r.failed(),
                    r.peakRssMb(),
                    r.cpuCores(),
                    r.perSecond() > 0 ? r.cpuCores() * 1e6 / r.perSecond() : Double.NaN);
        }
        Row bare = rows.get(0);
        System.out.println();
        for (Row veil : rows.subList(1, rows.size())) {
            // CPU per event is the figure least moved by a shared machine's noise.
            System.out.printf(
                    Locale.ROOT,
                    "ratio %s / bare: %.2f (CPU per event: %.1fx the bare endpoint's)%n",
                    veil.target(),
                    veil.perSecond() / bare.perSecond(),
                    (veil.cpuCores() / veil.perSecond()) / (bare.cpuCores() / bare.perSecond()));
        }
    }

    private static String millis(double ms) {
        return Double.isNaN(ms) ? "–" : String.format(Locale.ROOT, "%.1f", ms);
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A child JVM (the bare server, a sink or {@code veil serve}); closing it stops it. */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final Path log;
        private final HttpClient http = HttpClient.newHttpClient();

        private Child(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static Child start(List<String> command, Path log) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .directory(log.getParent().toFile());
            pb.environment().remove("VEIL_MASTER_KEY");
            return new Child(pb.start(), log);
        }

        long pid() {
            return process.pid();
        }

        boolean alive() {
            return process.isAlive();
        }

        void awaitHttp(int port, String path) throws Exception {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < until) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "exited with " + process.exitValue() + ": " + Files.readString(log));
                }
                try (Socket s = new Socket("127.0.0.1", port)) {
                    HttpResponse<Void> r = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("no answer on port " + port + "; see " + log);
        }

        long count(int port) throws Exception {
            return Long.parseLong(http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hook/count"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .body()
                    .trim());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}

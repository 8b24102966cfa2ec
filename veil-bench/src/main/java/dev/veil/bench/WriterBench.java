package dev.veil.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.veil.core.event.RawEvent;
import dev.veil.store.EventLog.AppendResult;
import dev.veil.store.EventLogOptions;
import dev.veil.store.MasterKey;
import dev.veil.store.rocksdb.RocksEventLog;
import dev.veil.store.sqlite.SqliteEventLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * {@code ./veil bench writer}: the store's write path alone, no HTTP. The same workload, in the same process and
 * run, against Veil's real {@link SqliteEventLog#append} (opened as {@code serve} opens it: {@link
 * EventLogOptions#defaults()}, a fresh data directory, a random master key, so encryption on) and against {@link
 * RocksWriterPrototype} (fsync before acknowledging; and, unless {@code --nosync false}, once without fsync to show
 * what durability costs). Rounds alternate the order of the stores. {@code --stores a,b,...} picks the stores
 * instead (ratios are against the first): {@code sqlite}, {@code sqlite-page4k|8k|16k|32k} (the event-log file
 * created with that page size before {@link SqliteEventLog#open}), {@code sqlite-cacheNm} (the writer's page cache
 * set to N MB), {@code rocksdb}, {@code rocksdb-nosync} (the prototype), {@code rocksdb-log} (the server's {@link
 * RocksEventLog}, {@code eventLog: rocksdb}).
 *
 * <p>Workload: {@code --producers 64} threads each append batches of {@code --batch 20} events (~1.5 KB JSON
 * each, {@link BenchFixtures#distinctVisitors}) with random UUID message ids, as real clients send; {@code
 * --dup-percent 1} of the events repeat an id the producer sent in its previous batch. {@code --warmup 5} s, then
 * {@code --duration 15} s measured, {@code --rounds 2}.
 *
 * <p>Reported per store: events/s (accepted + duplicates answered), the process's CPU µs per event (all threads,
 * including SQLite's checkpointer and RocksDB's flush and compaction threads, and the producers' encoding and
 * sealing), the writer thread's CPU µs per event and busy share (CPU / wall; fsync waits are not CPU), p50/p99
 * append latency, bytes written to storage per event in the window ({@code /proc/self/io}) and bytes on disk after
 * close.
 */
final class WriterBench {

    private static final String SOURCE = "website";

    /** A store under test: an append that returns once the batch is durable (or, for nosync, written). */
    interface Target extends AutoCloseable {
        List<AppendResult> append(List<RawEvent> batch);

        /** The thread that commits (for its CPU time). */
        Thread writer();

        @Override
        void close();
    }

    record Row(
            String store,
            double eventsPerSecond,
            double processCpuMicros,
            double writerCpuMicros,
            double writerBusy,
            double p50Millis,
            double p99Millis,
            long bytesOnDisk,
            double writtenPerEvent,
            long accepted,
            long duplicates) {}

    private final int producers;
    private final int batch;
    private final Duration warmup;
    private final Duration duration;
    private final double dupShare;
    private final Path work;
    private final List<RawEvent> templates = BenchFixtures.distinctVisitors(500);

    WriterBench(int producers, int batch, Duration warmup, Duration duration, double dupPercent, Path work) {
        this.producers = producers;
        this.batch = batch;
        this.warmup = warmup;
        this.duration = duration;
        this.dupShare = dupPercent / 100.0;
        this.work = work;
    }

    static void run(
            int producers,
            int batch,
            Duration warmup,
            Duration duration,
            double dupPercent,
            int rounds,
            boolean nosync,
            String storeList,
            Path work)
            throws Exception {
        System.out.printf(
                Locale.ROOT,
                "veil bench writer: %d producers, batches of %d, %.1f %% duplicates, %d s measured after %d s warm-up,"
                        + " %d rounds; %d cores, max heap %d MB; load average %.2f%n",
                producers,
                batch,
                dupPercent,
                duration.toSeconds(),
                warmup.toSeconds(),
                rounds,
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                ProcessStats.loadAverage());
        WriterBench bench = new WriterBench(producers, batch, warmup, duration, dupPercent, work);
        List<String> stores = new ArrayList<>();
        if (storeList.isBlank()) {
            stores.addAll(List.of("sqlite", "rocksdb"));
            if (nosync) {
                stores.add("rocksdb-nosync");
            }
        } else {
            stores.addAll(List.of(storeList.trim().split("\\s*,\\s*")));
        }
        List<Row> rows = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            List<String> order = new ArrayList<>(stores);
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String store : order) {
                Row row = bench.measure(store, work.resolve(store + "-" + round));
                rows.add(row);
                print(round, row);
            }
        }
        System.out.println();
        String base = stores.get(0);
        for (String other : stores.subList(1, stores.size())) {
            for (int round = 0; round < rounds; round++) {
                Row b = nth(rows, base, round);
                Row o = nth(rows, other, round);
                System.out.printf(
                        Locale.ROOT,
                        "round %d: %s/%s events/s %.2f, process CPU per event %.2f, writer CPU per event %.2f,"
                                + " p99 %.2f, bytes written per event %.2f, on disk per event %.2f%n",
                        round + 1,
                        other,
                        base,
                        o.eventsPerSecond / b.eventsPerSecond,
                        o.processCpuMicros / b.processCpuMicros,
                        o.writerCpuMicros / b.writerCpuMicros,
                        o.p99Millis / b.p99Millis,
                        o.writtenPerEvent / b.writtenPerEvent,
                        ((double) o.bytesOnDisk / o.accepted) / ((double) b.bytesOnDisk / b.accepted));
            }
        }
        System.out.printf(Locale.ROOT, "load average after: %.2f; data in %s%n", ProcessStats.loadAverage(), work);
    }

    private static Row nth(List<Row> rows, String store, int round) {
        return rows.stream()
                .filter(r -> r.store.equals(store))
                .skip(round)
                .findFirst()
                .orElseThrow();
    }

    private static void print(int round, Row r) {
        System.out.printf(
                Locale.ROOT,
                "round %d %-15s %,9.0f events/s  process CPU %6.1f µs/event  writer CPU %5.1f µs/event (busy %3.0f %%)"
                        + "  p50 %6.2f ms  p99 %7.2f ms  written %,5.0f B/event  on disk %,7.1f MB (%,.0f B/event)  accepted %,d  dup %,d%n",
                round + 1,
                r.store,
                r.eventsPerSecond,
                r.processCpuMicros,
                r.writerCpuMicros,
                r.writerBusy * 100,
                r.p50Millis,
                r.p99Millis,
                r.writtenPerEvent,
                r.bytesOnDisk / 1e6,
                (double) r.bytesOnDisk / Math.max(1, r.accepted),
                r.accepted,
                r.duplicates);
    }

    /** Opens {@code store} in an empty {@code dir}, runs the workload, closes it and returns its figures. */
    Row measure(String store, Path dir) throws Exception {
        Files.createDirectories(dir);
        Target target = open(store, dir);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[][] latencies = new long[producers][];
        AtomicLong accepted = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        long t0 = System.nanoTime();
        long measureFrom = t0 + warmup.toNanos();
        long measureTo = measureFrom + duration.toNanos();
        List<Thread> running = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            running.add(Thread.ofVirtual()
                    .start(() -> latencies[producer] =
                            produce(target, producer, measureFrom, measureTo, accepted, duplicates)));
        }
        long cpu0;
        long writer0;
        long accepted0;
        long dup0;
        Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
        cpu0 = os.getProcessCpuTime();
        long io0 = writtenBytes();
        writer0 = threads.getThreadCpuTime(target.writer().threadId());
        accepted0 = accepted.get();
        dup0 = duplicates.get();
        long wall0 = System.nanoTime();
        Thread.sleep(Math.max(0, (measureTo - System.nanoTime()) / 1_000_000));
        long cpu = os.getProcessCpuTime() - cpu0;
        long io = writtenBytes() - io0;
        long writer = threads.getThreadCpuTime(target.writer().threadId()) - writer0;
        long acc = accepted.get() - accepted0;
        long dup = duplicates.get() - dup0;
        long wall = System.nanoTime() - wall0;
        for (Thread t : running) {
            t.join();
        }
        target.close();
        long events = acc + dup;
        long[] all =
                Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        long onDisk = bytes(dir);
        delete(dir); // a run writes gigabytes: keep only one store's data at a time
        return new Row(
                store,
                events / (wall / 1e9),
                cpu / 1e3 / events,
                writer / 1e3 / events,
                (double) writer / wall,
                percentile(all, 0.5),
                percentile(all, 0.99),
                onDisk,
                (double) io / events,
                accepted.get(),
                duplicates.get());
    }

    private static double percentile(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        return sortedNanos[Math.min(sortedNanos.length - 1, (int) (q * sortedNanos.length))] / 1e6;
    }

    /** One producer: appends until {@code to}; returns the latencies (ns) of the appends started in the window. */
    private long[] produce(
            Target target, int producer, long from, long to, AtomicLong accepted, AtomicLong duplicates) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long[] lat = new long[1024];
        int n = 0;
        String[] previous = new String[batch];
        List<RawEvent> events = new ArrayList<>(batch);
        int batches = 0;
        while (true) {
            long start = System.nanoTime();
            // at least four batches, so even a very short run (a test on a busy machine) repeats some ids
            if (start >= to && batches >= 4) {
                return Arrays.copyOf(lat, n);
            }
            batches++;
            events.clear();
            Instant now = Instant.now();
            for (int i = 0; i < batch; i++) {
                String id = previous[0] != null && rnd.nextDouble() < dupShare
                        ? previous[rnd.nextInt(batch)]
                        : new UUID(rnd.nextLong(), rnd.nextLong()).toString();
                RawEvent t = templates.get(rnd.nextInt(templates.size()));
                events.add(new RawEvent(
                        SOURCE, id, t.type(), now, t.timestamp(), t.message(), t.clientIp(), t.userAgent(), t.gpc()));
            }
            for (int i = 0; i < batch; i++) {
                previous[i] = events.get(i).messageId();
            }
            List<AppendResult> results = target.append(events);
            long end = System.nanoTime();
            for (AppendResult r : results) {
                (r == AppendResult.ACCEPTED ? accepted : duplicates).incrementAndGet();
            }
            if (start >= from) {
                if (n == lat.length) {
                    lat = Arrays.copyOf(lat, n * 2);
                }
                lat[n++] = end - start;
            }
        }
    }

    private static Target open(String store, Path dir) {
        MasterKey key = MasterKey.random();
        return switch (store) {
            case "sqlite", "sqlite-page4k", "sqlite-page8k", "sqlite-page16k", "sqlite-page32k" -> {
                if (!store.equals("sqlite")) {
                    createWithPageSize(dir.resolve(SqliteEventLog.FILE_NAME), pageSize(store));
                }
                SqliteEventLog log = SqliteEventLog.open(dir, key, EventLogOptions.defaults());
                Thread writer = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.isAlive() && t.getName().equals("event-log-writer"))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("no event-log-writer thread"));
                yield target(log::append, writer, log::close);
            }
            case "rocksdb-log" -> {
                // The server's RocksDB event log (eventLog: rocksdb), opened as serve opens it.
                RocksEventLog log = RocksEventLog.open(dir, key, EventLogOptions.defaults());
                Thread writer = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.isAlive() && t.getName().equals("event-log-writer"))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("no event-log-writer thread"));
                yield target(log::append, writer, log::close);
            }
            case "rocksdb", "rocksdb-nosync" -> {
                byte[] k = key.bytes();
                RocksWriterPrototype log = new RocksWriterPrototype(
                        dir, k, EventLogOptions.defaults().dedupWindow(), store.equals("rocksdb"));
                Arrays.fill(k, (byte) 0);
                yield target(log::append, log.writerThread(), log::close);
            }
            default -> {
                if (store.startsWith("sqlite-cache") && store.endsWith("m")) {
                    // The writer's page cache in MB (EventLogOptions.writerCacheKib), otherwise as "sqlite".
                    int mb = Integer.parseInt(store.substring("sqlite-cache".length(), store.length() - 1));
                    SqliteEventLog log = SqliteEventLog.open(
                            dir, key, EventLogOptions.defaults().withWriterCacheKib(mb * 1024));
                    yield target(log::append, writerThread(), log::close);
                }
                throw new IllegalArgumentException("unknown store " + store);
            }
        };
    }

    private static Thread writerThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("event-log-writer"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no event-log-writer thread"));
    }

    /** {@code sqlite-page8k} → 8192. */
    private static int pageSize(String store) {
        return Integer.parseInt(store.substring("sqlite-page".length(), store.length() - 1)) * 1024;
    }

    /**
     * Creates an empty event-log file with {@code pageSize} (SQLite fixes the page size when it writes the first
     * page: here, when WAL mode is set), so that {@link SqliteEventLog#open} then migrates and uses it as is.
     */
    private static void createWithPageSize(Path db, int pageSize) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                java.sql.Statement s = c.createStatement()) {
            s.execute("PRAGMA page_size=" + pageSize);
            s.execute("PRAGMA journal_mode=WAL");
            try (var rs = s.executeQuery("PRAGMA page_size")) {
                rs.next();
                if (rs.getInt(1) != pageSize) {
                    throw new IllegalStateException("page size " + rs.getInt(1) + ", wanted " + pageSize);
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("create " + db + ": " + e.getMessage(), e);
        }
    }

    private static Target target(Function<List<RawEvent>, List<AppendResult>> append, Thread writer, Runnable close) {
        return new Target() {
            @Override
            public List<AppendResult> append(List<RawEvent> batch) {
                return append.apply(batch);
            }

            @Override
            public Thread writer() {
                return writer;
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }

    /** Bytes this process caused to be written to storage ({@code write_bytes} of /proc/self/io), or 0. */
    private static long writtenBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(
                            line.substring("write_bytes:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: report 0
        }
        return 0;
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long bytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

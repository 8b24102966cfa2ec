package dev.veil.server.ingest;

import dev.veil.store.EventLog;
import dev.veil.store.rocksdb.RocksEventLog;
import dev.veil.store.sqlite.SqliteEventLog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Ingest meters in Micrometer (exported by {@code /metrics}): accepted, rejected by reason, bytes, append latency. */
final class IngestMetrics {

    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter duplicates;
    private final DistributionSummary bytes;
    private final Timer append;

    IngestMetrics(MeterRegistry registry, EventLog log) {
        this.registry = registry;
        this.accepted = Counter.builder("veil.ingest.events.accepted")
                .description("messages durably appended to the event log")
                .register(registry);
        this.duplicates = Counter.builder("veil.ingest.events.duplicate")
                .description("messages dropped as a repeated messageId within the dedup window")
                .register(registry);
        this.bytes = DistributionSummary.builder("veil.ingest.request.bytes")
                .description("request body size after decompression")
                .baseUnit("bytes")
                .register(registry);
        this.append = Timer.builder("veil.eventlog.append")
                .description("time for EventLog.append to return (durable, group-committed)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        Gauge.builder("veil.eventlog.depth", log, l -> l.size())
                .description("events currently held in the event log")
                .register(registry);
        if (log instanceof SqliteEventLog sqlite) {
            registerWriter(registry, sqlite);
        }
        if (log instanceof RocksEventLog rocks) {
            FunctionCounter.builder("veil.eventlog.commits", rocks, RocksEventLog::commits)
                    .description("write batches (fsyncs) committed by the event log writer")
                    .register(registry);
            FunctionCounter.builder("veil.eventlog.committed.events", rocks, RocksEventLog::committedEvents)
                    .description("events committed by the event log writer")
                    .register(registry);
            FunctionCounter.builder("veil.eventlog.writer.commit.seconds", rocks, RocksEventLog::writeSeconds)
                    .description("time the writer spent in durable writes (WAL append and fsync)")
                    .register(registry);
            Gauge.builder("veil.eventlog.writer.pending", rocks, RocksEventLog::pendingWrites)
                    .description("requests waiting for the event log writer")
                    .register(registry);
        }
    }

    /**
     * The group-commit writer's cumulative figures: rate(events) / rate(commits) is events per fsync, and
     * rate(apply|commit seconds) / rate(commits) the SQL and fsync time per group.
     */
    private static void registerWriter(MeterRegistry registry, SqliteEventLog log) {
        FunctionCounter.builder(
                        "veil.eventlog.commits", log, l -> l.writerStats().commits())
                .description("transactions (fsyncs) committed by the event log writer")
                .register(registry);
        FunctionCounter.builder(
                        "veil.eventlog.committed.requests",
                        log,
                        l -> l.writerStats().requests())
                .description("requests (appends, cursor commits) committed by the event log writer")
                .register(registry);
        FunctionCounter.builder(
                        "veil.eventlog.committed.events",
                        log,
                        l -> l.writerStats().events())
                .description("events committed by the event log writer")
                .register(registry);
        FunctionCounter.builder(
                        "veil.eventlog.writer.apply.seconds",
                        log,
                        l -> l.writerStats().applyNanos() / 1e9)
                .description("time the writer spent running SQL inside transactions")
                .register(registry);
        FunctionCounter.builder(
                        "veil.eventlog.writer.commit.seconds",
                        log,
                        l -> l.writerStats().commitNanos() / 1e9)
                .description("time the writer spent in COMMIT (WAL write and fsync)")
                .register(registry);
        Gauge.builder(
                        "veil.eventlog.writer.largest.group",
                        log,
                        l -> l.writerStats().largestGroup())
                .description("the most events committed in one transaction since start")
                .baseUnit("events")
                .register(registry);
        FunctionCounter.builder("veil.eventlog.checkpoints", log, SqliteEventLog::checkpoints)
                .description("WAL checkpoints run by the background checkpointer")
                .register(registry);
        Gauge.builder("veil.eventlog.writer.pending", log, SqliteEventLog::pendingWrites)
                .description("requests waiting for the event log writer")
                .register(registry);
    }

    void accepted(long n) {
        accepted.increment(n);
    }

    void duplicates(long n) {
        duplicates.increment(n);
    }

    void bytes(long n) {
        bytes.record(n);
    }

    Timer append() {
        return append;
    }

    void rejected(String reason, long n) {
        Counter.builder("veil.ingest.rejected")
                .description("messages or requests refused, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment(n);
    }
}

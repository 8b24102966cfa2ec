package dev.veil.server.demo;

import dev.veil.server.Stores;
import dev.veil.server.VeilServer;
import dev.veil.server.cli.VeilCommand;
import dev.veil.server.cli.VersionProvider;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.ingest.IngestStats;
import dev.veil.server.pipeline.ConfiguredConnectors;
import dev.veil.server.pipeline.Pipeline;
import dev.veil.server.source.Source;
import dev.veil.server.source.StaticSourceRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code veil demo}: Veil on localhost with a demo source, a demo clinic site and a console stub. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Start a local demo: a fake clinic site sending events to Veil, and a console with counts.")
public final class DemoCommand implements Callable<Integer> {

    /** The demo source's id. */
    public static final String SOURCE_ID = "demo-site";

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @CommandLine.ParentCommand
    VeilCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--data-dir",
            defaultValue = "veil-data",
            paramLabel = "DIR",
            description = "where the demo keeps its data (default: ./${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "interface to bind (default: ${DEFAULT-VALUE})")
    String host;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig cfg = ServerConfig.defaults()
                .withListen(new ServerConfig.Listen(host, port))
                .withDataDir(dataDir.toAbsolutePath().normalize());
        String writeKey = DemoKey.loadOrCreate(cfg.dataDir());
        Stores stores = parent.stores().open(cfg);
        AtomicReference<IngestStats> stats = new AtomicReference<>();
        DemoDestination destination = DemoDestination.create(cfg.dataDir());
        VeilServer server;
        try {
            List<String> origins = List.of("http://localhost:" + port, "http://127.0.0.1:" + port);
            StaticSourceRegistry sources =
                    new StaticSourceRegistry().add(new Source(SOURCE_ID, "Demo clinic site", origins), writeKey);
            server = VeilServer.start(
                    cfg,
                    sources,
                    stores.eventLog(),
                    Clock.systemUTC(),
                    List.of(DemoSite.extension(writeKey, stats::get), destination.extension()));
            stats.set(server.stats());
        } catch (RuntimeException e) {
            stores.close();
            throw e;
        }
        Pipeline pipeline = null;
        if (stores.embedded().isPresent()) {
            try {
                pipeline = Pipeline.start(
                        stores.embedded().get(),
                        cfg.dataDir(),
                        server.registry(),
                        ConfiguredConnectors.system(),
                        new Pipeline.PolicyFile(
                                "demo policy", DemoDestination.policyYaml(cfg.dataDir(), server.port())));
            } catch (RuntimeException e) {
                server.close();
                stores.close();
                throw e;
            }
        }
        Pipeline delivery = pipeline;
        if (delivery != null) {
            server.reportPausedDestinations(delivery.delivery()::paused);
        }
        printBanner(spec.commandLine().getOut(), server.port(), writeKey, cfg.dataDir());
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "veil-demo-counts");
            t.setDaemon(true);
            return t;
        });
        AtomicReference<IngestStats.Snapshot> last =
                new AtomicReference<>(server.stats().snapshot());
        ticker.scheduleAtFixedRate(
                () -> logCounts(server.stats().snapshot(), last, destination), 5, 5, TimeUnit.SECONDS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            ticker.shutdownNow();
                            server.close();
                            if (delivery != null) {
                                delivery.close();
                            }
                            stores.close();
                            stopped.countDown();
                        },
                        "veil-shutdown"));
        stopped.await();
        return 0;
    }

    private static void logCounts(
            IngestStats.Snapshot now, AtomicReference<IngestStats.Snapshot> last, DemoDestination destination) {
        IngestStats.Snapshot before = last.getAndSet(now);
        if (now.equals(before)) {
            return;
        }
        LOG.info(
                "forwarded to {} after the privacy policy: {} events {}",
                DemoDestination.ID,
                destination.received(),
                destination.receivedByName());
        StringBuilder types = new StringBuilder();
        now.acceptedByType().entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> types.append(types.isEmpty() ? "" : ", ")
                        .append(e.getKey().wireName())
                        .append(' ')
                        .append(e.getValue()));
        LOG.info(
                "events: {} accepted (+{} in the last 5 s; {}), {} duplicates dropped, {} refused",
                now.accepted(),
                now.accepted() - before.accepted(),
                types,
                now.duplicates(),
                now.rejected());
    }

    private static void printBanner(PrintWriter out, int port, String writeKey, Path dataDir) {
        String base = "http://localhost:" + port;
        out.println();
        out.println("Veil demo is running.");
        out.println("  demo clinic site   " + base + "/");
        out.println("  console (counts)   " + base + "/console");
        out.println("  ingest API         " + base + "/v1/track, /v1/batch, ... (Segment-compatible)");
        out.println("  metrics            " + base + "/metrics");
        out.println("  destination        " + DemoDestination.ID
                + " (a webhook inside the demo; see the log line for what it received)");
        out.println("  source             " + SOURCE_ID + ", write key " + writeKey);
        out.println("  data               " + dataDir);
        out.println();
        out.println("Send an event:");
        out.println("  curl -u " + writeKey + ": -H 'Content-Type: application/json' \\");
        out.println("    -d '{\"userId\":\"u1\",\"event\":\"Appointment Booked\"}' " + base + "/v1/track");
        out.println();
        out.println("Stop with Ctrl-C.");
        out.flush();
    }
}

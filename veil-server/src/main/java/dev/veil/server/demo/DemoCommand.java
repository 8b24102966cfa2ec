package dev.veil.server.demo;

import dev.veil.server.Readiness;
import dev.veil.server.Stores;
import dev.veil.server.VeilServer;
import dev.veil.server.admin.AdminWiring;
import dev.veil.server.cli.RetryingStart;
import dev.veil.server.cli.VeilCommand;
import dev.veil.server.cli.VersionProvider;
import dev.veil.server.config.ConfigException;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.ingest.IngestStats;
import dev.veil.server.pipeline.ConfiguredConnectors;
import dev.veil.server.pipeline.Pipeline;
import dev.veil.server.pipeline.PolicyRuntime;
import dev.veil.server.source.Source;
import dev.veil.server.source.SourceRegistry;
import dev.veil.server.source.StaticSourceRegistry;
import io.javalin.config.JavalinConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code veil demo}: Veil on localhost with a demo source, a demo clinic site and the console. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Start a local demo: a fake clinic site sending events to Veil, and the console.")
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

    @Option(
            names = "--management-port",
            defaultValue = "9090",
            description = "port of /metrics on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int managementPort;

    @Override
    public Integer call() throws InterruptedException {
        try (dev.veil.server.cli.StopSignal stop = dev.veil.server.cli.StopSignal.install()) {
            return demo(stop);
        }
    }

    private Integer demo(dev.veil.server.cli.StopSignal stop) throws InterruptedException {
        ServerConfig cfg = ServerConfig.defaults()
                .withListen(new ServerConfig.Listen(host, port))
                .withManagement(new ServerConfig.Listen("127.0.0.1", managementPort))
                .withDataDir(dataDir.toAbsolutePath().normalize());
        String writeKey = DemoKey.loadOrCreate(cfg.dataDir());
        Stores stores = parent.stores().open(cfg);
        DemoDestination destination = DemoDestination.create(cfg.dataDir());
        AdminWiring admin = null;
        VeilServer server;
        // The same readiness as serve: 503 until the policy is applied and delivery runs (and while the event log
        // cannot write), so that a script waiting for /readyz waits for the whole demo.
        Readiness readiness = Readiness.waitingFor("starting: the policy is not applied and delivery does not run yet");
        try {
            List<String> origins = List.of("http://localhost:" + port, "http://127.0.0.1:" + port);
            SourceRegistry sources =
                    new StaticSourceRegistry().add(new Source(SOURCE_ID, "Demo clinic site", origins), writeKey);
            List<Consumer<JavalinConfig>> extensions =
                    new ArrayList<>(List.of(DemoSite.extension(writeKey), destination.extension()));
            admin = AdminWiring.open(stores, Clock.systemUTC());
            sources = admin.sources(sources, stores.config());
            extensions.add(admin.extension());
            server = VeilServer.start(
                    cfg, sources, stores.eventLog(), Clock.systemUTC(), extensions, List.of(), readiness);
            admin.serverStarted(server);
        } catch (RuntimeException e) {
            if (admin != null) {
                admin.close();
            }
            stores.close();
            throw e;
        }
        Pipeline pipeline;
        AdminWiring adminAtStart = admin;
        try {
            // A start-up fault (e.g. a full disk) leaves the demo serving, not ready and retrying, as serve does.
            pipeline = RetryingStart.until(() -> startDelivery(cfg, stores, server, adminAtStart), readiness, stop);
        } catch (RuntimeException e) {
            server.close();
            admin.close();
            stores.close();
            throw e;
        }
        if (pipeline == null) { // asked to stop while retrying
            server.close();
            admin.close();
            stores.close();
            return 0;
        }
        PolicyRuntime.prewarm(); // after ready, as serve does
        Pipeline delivery = pipeline;
        AdminWiring adminToClose = admin;
        server.reportPausedDestinations(delivery.delivery()::paused);
        printBanner(spec.commandLine().getOut(), server.port(), server.managementPort(), writeKey, cfg.dataDir());
        printAdmin(spec.commandLine().getOut(), admin, "http://localhost:" + server.port(), cfg.dataDir());
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "veil-demo-counts");
            t.setDaemon(true);
            return t;
        });
        AtomicReference<IngestStats.Snapshot> last =
                new AtomicReference<>(server.stats().snapshot());
        ticker.scheduleAtFixedRate(
                () -> logCounts(server.stats().snapshot(), last, destination), 5, 5, TimeUnit.SECONDS);
        Runnable shutdown = dev.veil.server.cli.StopSignal.once(() -> {
            ticker.shutdownNow();
            server.close();
            delivery.close();
            adminToClose.close();
            stores.close();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "veil-shutdown"));
        stop.await();
        shutdown.run();
        return 0;
    }

    /** Applies the demo policy and starts delivery; an invalid demo policy ends the demo (a bug, not a fault). */
    private static Pipeline startDelivery(ServerConfig cfg, Stores stores, VeilServer server, AdminWiring admin) {
        ConfiguredConnectors connectors = admin.connectors();
        int before = stores.config().latestPolicy().map(v -> v.version()).orElse(0);
        Pipeline pipeline;
        try {
            pipeline = Pipeline.start(
                    stores,
                    cfg.dataDir(),
                    server.registry(),
                    connectors,
                    new Pipeline.PolicyFile("demo policy", DemoDestination.policyYaml(cfg.dataDir(), server.port())),
                    admin.observer());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        try {
            admin.deliveryStarted(pipeline, stores, connectors);
            admin.policyFileApplied("demo policy", before, pipeline.runtime().version());
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
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

    /** The way into the admin side: a one-time setup link on first start, else how to recover access. */
    private static void printAdmin(PrintWriter out, AdminWiring admin, String base, Path dataDir) {
        var link = admin.bootstrapOwner(base);
        if (link.isPresent()) {
            out.println("Admin: set up the owner account 'admin' with this one-time link (24 hours; it asks for a");
            out.println("password and an authenticator app; there is no default password):");
            out.println("  " + link.get());
        } else {
            out.println("Admin API: " + base + "/api/v1 (sign in as an existing user; lost access? run");
            out.println("  ./veil users reset admin --data-dir " + dataDir + " --url " + base + ")");
        }
        out.println();
        out.flush();
    }

    private static void printBanner(PrintWriter out, int port, int managementPort, String writeKey, Path dataDir) {
        String base = "http://localhost:" + port;
        out.println();
        out.println("Veil demo is running.");
        out.println("  demo clinic site   " + base + "/");
        out.println("  console            " + base + "/console (sign in as admin; see the setup link below)");
        out.println("  ingest API         " + base + "/v1/track, /v1/batch, ... (Segment-compatible)");
        out.println("  metrics            http://127.0.0.1:" + managementPort + "/metrics (management listener)");
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

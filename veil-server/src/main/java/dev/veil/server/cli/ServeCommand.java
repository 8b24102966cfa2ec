package dev.veil.server.cli;

import dev.veil.core.policy.PolicyLoader;
import dev.veil.core.policy.SourceSpec;
import dev.veil.core.policy.ValidationReport;
import dev.veil.http.PemKeyStore;
import dev.veil.server.Readiness;
import dev.veil.server.Stores;
import dev.veil.server.VeilServer;
import dev.veil.server.admin.AdminWiring;
import dev.veil.server.config.ConfigException;
import dev.veil.server.config.ServerConfig;
import dev.veil.server.config.ServerConfigLoader;
import dev.veil.server.pipeline.ConfiguredConnectors;
import dev.veil.server.pipeline.Pipeline;
import dev.veil.server.pipeline.PolicyRuntime;
import dev.veil.server.source.PolicySourceRegistry;
import dev.veil.server.source.PolicySourcesReader;
import dev.veil.server.source.SecretResolver;
import dev.veil.server.source.SourceRegistry;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code veil serve --config veil.yaml}: runs the server until it is stopped (SIGTERM / Ctrl-C). */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run Veil with a configuration file (see docs/configuration.md).")
public final class ServeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @CommandLine.ParentCommand
    VeilCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the server config (YAML)")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        // First of all, so that a stop signal during start-up also ends in an orderly stop and exit 0; the JVM's
        // handlers are back when serve returns (tests run it in-process).
        try (StopSignal stop = StopSignal.install()) {
            return serve(stop);
        }
    }

    private Integer serve(StopSignal stop) throws InterruptedException {
        ServerConfig cfg = ServerConfigLoader.load(config);
        PrintWriter out = spec.commandLine().getOut();
        List<SourceSpec> specs = cfg.policyFile() == null ? List.of() : PolicySourcesReader.read(cfg.policyFile());
        Stores stores = parent.stores().open(cfg);
        AdminWiring admin = null;
        VeilServer server;
        Pipeline.PolicyFile file;
        Readiness readiness = Readiness.waitingFor("starting: the policy is not applied and delivery does not run yet");
        // Not ready while the control database does not answer (a background probe; docs/operations.md).
        readiness.require(stores::controlUnavailable);
        try {
            file = readPolicyFile(cfg);
            admin = AdminWiring.open(stores, Clock.systemUTC());
            Path policyDir = cfg.policyFile() == null
                    ? Path.of(".")
                    : cfg.policyFile().toAbsolutePath().getParent();
            PolicySourceRegistry sources = new PolicySourceRegistry(
                    specs, new SecretResolver(System.getenv(), policyDir), stores.generatedKeys(), (s, key) -> {
                        out.println("source " + s.id() + ": generated write key " + key);
                        out.println("  (shown only now; Veil keeps only its hash)");
                    });
            if (specs.isEmpty()) {
                LOG.warn("no sources configured (policy file {}): every write key is refused", cfg.policyFile());
            }
            SourceRegistry registry = admin.sources(sources, stores.config());
            if (file != null) {
                // A policy that does not validate stops serve before the port opens (exit 1).
                ConfiguredConnectors connectors = admin.connectors();
                ValidationReport report = PolicyLoader.load(file.yaml(), file.name(), connectors.descriptors());
                if (!report.valid()) {
                    throw new ConfigException("policy " + file.name() + " is invalid:\n" + report.format());
                }
            }
            try {
                server = VeilServer.start(
                        cfg,
                        registry,
                        stores.eventLog(),
                        Clock.systemUTC(),
                        List.of(admin.extension()),
                        List.of(),
                        readiness);
            } catch (PemKeyStore.TlsException e) {
                throw new ConfigException(e.getMessage());
            }
            Gauge.builder(
                            "veil.control.store.up",
                            stores,
                            s -> s.controlUnavailable().isPresent() ? 0 : 1)
                    .description("1 while the control stores (users, policies, audit, dead letters) answer, else 0")
                    .register(server.registry());
            admin.serverStarted(server);
        } catch (RuntimeException e) {
            if (admin != null) {
                admin.close();
            }
            stores.close();
            throw e;
        }
        Pipeline pipeline = startDeliveryRetrying(cfg, stores, server, admin, file, readiness, stop, out);
        if (pipeline != null) {
            server.reportPausedDestinations(pipeline.delivery()::paused);
            // The user agent analyzer takes seconds of CPU to build: after ready, so that start-up has the CPU.
            // Until it is built, the first events whose user agent is generalized wait for it in delivery.
            PolicyRuntime.prewarm();
        }
        String base = (cfg.tls() == null ? "http" : "https") + "://"
                + (cfg.listen().host().equals("0.0.0.0")
                        ? "localhost"
                        : cfg.listen().host()) + ":" + server.port();
        out.println("Veil listening on " + base + ", management (/metrics) on http://"
                + cfg.management().host() + ":" + server.managementPort() + " (data in " + cfg.dataDir()
                + (cfg.storage() instanceof ServerConfig.Storage.Postgres pg
                        ? "; users, policies, audit, secrets and dead letters in PostgreSQL schema " + pg.schema()
                        : "")
                + ")");
        admin.bootstrapOwner(base).ifPresent(link -> {
            out.println("First start: set up the owner account 'admin' with this one-time link (24 hours):");
            out.println("  " + link);
            out.println(
                    "  (no default password exists; lost it? run 'veil users reset admin --config " + config + "')");
        });
        out.flush();
        AdminWiring adminToClose = admin;
        Runnable shutdown = StopSignal.once(() -> {
            server.close();
            if (pipeline != null) {
                pipeline.close();
            }
            adminToClose.close();
            stores.close();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "veil-shutdown"));
        stop.await();
        LOG.info("stop signal received: closing listeners, delivery and stores");
        shutdown.run();
        return 0;
    }

    private static Pipeline.@Nullable PolicyFile readPolicyFile(ServerConfig cfg) {
        if (cfg.policyFile() == null) {
            return null;
        }
        try {
            return new Pipeline.PolicyFile(
                    cfg.policyFile().toString(), Files.readString(cfg.policyFile(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException("policy file " + cfg.policyFile() + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Starts delivery, retrying a start-up fault while ingest keeps serving ({@link RetryingStart}); null when the
     * process was asked to stop first. Only an invalid policy ends the process, and that was checked before the
     * port opened.
     */
    private static @Nullable Pipeline startDeliveryRetrying(
            ServerConfig cfg,
            Stores stores,
            VeilServer server,
            AdminWiring admin,
            Pipeline.@Nullable PolicyFile file,
            Readiness readiness,
            StopSignal stop,
            PrintWriter out)
            throws InterruptedException {
        return RetryingStart.until(() -> startDelivery(cfg, stores, server, admin, file, out), readiness, stop);
    }

    /**
     * Starts delivery over the server's stores. The policy file is applied through the admin policy service
     * (published when it changed, or drafted for approval under the two-person rule, said on the terminal:
     * docs/admin.md).
     */
    private static Pipeline startDelivery(
            ServerConfig cfg,
            Stores stores,
            VeilServer server,
            AdminWiring admin,
            Pipeline.@Nullable PolicyFile file,
            PrintWriter out) {
        ConfiguredConnectors connectors = admin.connectors();
        Pipeline pipeline;
        try {
            if (file != null && cfg.policyFile() != null) {
                out.println(admin.policyFileAtStart(cfg.policyFile(), file.yaml()));
                out.flush();
                file = null; // applied (or drafted) above, audited with the file as author
            }
            pipeline = Pipeline.start(stores, cfg.dataDir(), server.registry(), connectors, file, admin.observer());
        } catch (IllegalArgumentException e) {
            server.close();
            stores.close();
            throw new ConfigException(e.getMessage());
        }
        try {
            admin.deliveryStarted(pipeline, stores, connectors);
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
    }
}

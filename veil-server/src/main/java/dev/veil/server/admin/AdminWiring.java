package dev.veil.server.admin;

import dev.veil.admin.AdminException;
import dev.veil.admin.AdminServices;
import dev.veil.admin.http.AdminApi;
import dev.veil.admin.http.SetupPage;
import dev.veil.admin.policy.PolicyService;
import dev.veil.admin.resources.DeliveryControl;
import dev.veil.console.Console;
import dev.veil.console.pages.SignInArea;
import dev.veil.console.traffic.Timeline;
import dev.veil.core.policy.SecretResolver;
import dev.veil.destinations.spi.ConnectorFactory;
import dev.veil.server.Stores;
import dev.veil.server.VeilServer;
import dev.veil.server.delivery.DeliveryObserver;
import dev.veil.server.delivery.ServerDeliveryControl;
import dev.veil.server.pipeline.ConfiguredConnectors;
import dev.veil.server.pipeline.Pipeline;
import dev.veil.server.sdk.SdkRoutes;
import dev.veil.server.sdk.SdkSnippet;
import dev.veil.server.source.SourceRegistry;
import dev.veil.server.source.StoredSourceRegistry;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The admin API and the console in a running server ({@code serve} and {@code demo}): the services over the
 * server's {@link Stores} (config, accounts, drafts, secrets, audit), the source registry that also knows API-created sources, the secret resolver that
 * knows {@code ${secret:…}}, the delivery control once delivery runs, and the console (veil-console) over the same
 * services, with the data dictionary the stores open for it. {@link #extension()} is the one call that mounts
 * the API, the setup page and the console; {@link #observer()} feeds the console what delivery decided.
 */
public final class AdminWiring implements AutoCloseable {

    private final AdminServices services;
    private final AdminApi api;
    private final AtomicReference<DeliveryControl> delivery = new AtomicReference<>(DeliveryControl.NONE);
    private final AtomicReference<SdkRoutes> sdk = new AtomicReference<>();
    private final AtomicReference<StoredSourceRegistry> sources = new AtomicReference<>();
    private final SecretResolver resolver;
    private final Console console;
    private final AtomicReference<MeterRegistry> meters = new AtomicReference<>();

    private AdminWiring(Stores stores, Clock clock) {
        this.resolver = SecretResolver.system()
                .withStored(name -> stores.secrets().get(name).orElse(null));
        TreeMap<String, dev.veil.api.ConnectorDescriptor> descriptors = new TreeMap<>();
        ConnectorFactory.loadAll().forEach((type, f) -> descriptors.put(type, f.descriptor()));
        this.services = AdminServices.builder(
                        stores.config(), stores.accounts(), stores.drafts(), stores.secrets(), stores.audit())
                .clock(clock)
                .connectors(descriptors)
                .secretResolver(resolver)
                .delivery(new LateDelivery(delivery))
                .snippet((id, key) -> {
                    SdkRoutes routes = sdk.get();
                    String url = routes == null ? "/assets/veil.js" : routes.versionedPath();
                    return SdkSnippet.render(url, key);
                })
                .onSourcesChanged(() -> {
                    StoredSourceRegistry r = sources.get();
                    if (r != null) {
                        r.invalidate();
                    }
                })
                .build();
        this.api = new AdminApi(services);
        this.console = Console.builder(services, stores.openDictionary(), stores.eventLog(), clock)
                .counts(this::counts)
                .build();
    }

    /** The server's running totals for the console's Overview, from its meter registry. */
    private Timeline.Counts counts() {
        MeterRegistry r = meters.get();
        if (r == null) {
            return Timeline.Counts.ZERO;
        }
        return new Timeline.Counts(
                sum(r, "veil.ingest.events.accepted"),
                sum(r, "veil.delivery.delivered"),
                sum(r, "veil.delivery.retried"),
                sum(r, "veil.delivery.dead_lettered"));
    }

    private static long sum(MeterRegistry r, String counter) {
        return (long)
                r.find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /**
     * Builds the services and the console over {@code stores}, which stay the caller's to close (after this
     * wiring); the console's data dictionary is opened here and closed with the console.
     */
    public static AdminWiring open(Stores stores, Clock clock) {
        return new AdminWiring(stores, clock);
    }

    public AdminServices services() {
        return services;
    }

    /** Mounts {@code /api/v1}, {@code /api/openapi.json}, the setup page and the console ({@code /console}). */
    public Consumer<JavalinConfig> extension() {
        return c -> {
            api.mount(c);
            SetupPage.mount(c, services);
            console.mount(c);
        };
    }

    /** The console (tests reach its dictionary learner and counts through it). */
    public Console console() {
        return console;
    }

    /** What delivery tells the console about each batch (release counts, live debugger, PHI detections). */
    public DeliveryObserver observer() {
        return console::evaluated;
    }

    /** Ingest's registry: {@code configured} plus the sources created through the admin API. */
    public SourceRegistry sources(SourceRegistry configured, dev.veil.store.ConfigStore config) {
        StoredSourceRegistry r = new StoredSourceRegistry(configured, config);
        sources.set(r);
        return r;
    }

    /** Connectors whose secrets may also be {@code ${secret:…}} references into the admin secret store. */
    public ConfiguredConnectors connectors() {
        return new ConfiguredConnectors(ConnectorFactory.loadAll(), resolver);
    }

    /** Called once the server listens: snippets use its SDK path; the console starts learning and counting. */
    public void serverStarted(VeilServer server) {
        sdk.set(server.sdk());
        meters.set(server.registry());
        console.start();
    }

    /** Called once delivery runs: status, dead letters, replay and test events become available. */
    public void deliveryStarted(Pipeline pipeline, Stores stores, ConfiguredConnectors connectors) {
        delivery.set(new ServerDeliveryControl(
                pipeline, stores.eventLog(), stores.deadLetters(), connectors, Clock.systemUTC()));
    }

    /**
     * Applies veil.yaml's policy file at start through the policy service, as {@code veil policy apply} would with
     * the file as author ({@code file:<path>}): published when it changed, or, with the two-person rule on, drafted
     * for approval while the published version keeps running (docs/admin.md). Returns the line to print.
     *
     * @throws IllegalArgumentException when the file is invalid or its secret references do not resolve
     */
    public String policyFileAtStart(Path file, String yaml) {
        PolicyService policies = services.policies();
        PolicyService.ApplyResult result;
        try {
            result = policies.applyFileAtStart(yaml, file.toString());
        } catch (AdminException e) {
            throw new IllegalArgumentException("policy " + file + ": " + e.getMessage());
        }
        return switch (result) {
            case PolicyService.Unchanged u -> "policy " + file + ": unchanged (published version " + u.version() + ")";
            case PolicyService.Published p ->
                "policy " + file + ": published as version " + p.version().version();
            case PolicyService.Drafted d ->
                "policy " + file + " differs from the published policy and the two-person"
                        + " rule is on: it is draft " + d.draft().id() + ", awaiting approval; still serving published"
                        + " version "
                        + policies.published().map(v -> v.version()).orElse(0);
        };
    }

    /** Audits a policy file (veil.yaml's {@code policy}, or the demo's) applied at start as a new version. */
    public void policyFileApplied(@org.jspecify.annotations.Nullable String name, int before, int after) {
        if (name != null && after != before) {
            services.audit()
                    .record(
                            "system",
                            "policy.apply",
                            "policy:" + after,
                            "success",
                            java.util.Map.of("source", name, "before", before, "after", after));
        }
    }

    /**
     * On first start (no admin user yet) creates the owner and returns the one-time setup link under
     * {@code baseUrl}; never a default password.
     */
    public Optional<String> bootstrapOwner(String baseUrl) {
        return services.bootstrapOwner("admin").map(token -> baseUrl + SignInArea.SETUP + "?token=" + token);
    }

    @Override
    public void close() {
        console.close();
    }

    /** Delivery control that forwards to whatever is running (nothing until delivery starts). */
    private record LateDelivery(AtomicReference<DeliveryControl> target) implements DeliveryControl {
        @Override
        public List<DestinationStatus> status() {
            return target.get().status();
        }

        @Override
        public List<DeadLetterInfo> deadLetters(String destinationId, Instant since, int max) {
            return target.get().deadLetters(destinationId, since, max);
        }

        @Override
        public Optional<String> rawDeadLetter(String destinationId, long id) {
            return target.get().rawDeadLetter(destinationId, id);
        }

        @Override
        public int replay(String destinationId, List<Long> ids) {
            return target.get().replay(destinationId, ids);
        }

        @Override
        public TestResult sendTestEvent(String destinationId) {
            return target.get().sendTestEvent(destinationId);
        }
    }
}

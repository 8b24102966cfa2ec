package dev.veil.server.cli.policy;

import dev.veil.core.engine.DefaultPrivacyEngine;
import dev.veil.core.engine.EngineConfig;
import dev.veil.core.engine.GeoLocator;
import dev.veil.core.engine.MaskingKeyring;
import dev.veil.core.engine.MaskingKeyring.KeyVersion;
import dev.veil.core.engine.MaxMindGeoLocator;
import dev.veil.core.engine.YauaaUserAgentGeneralizer;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.Policy;
import dev.veil.store.ConfigStore;
import dev.veil.store.ConfigStore.PolicyVersion;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code veil preview}: prints, as JSON, exactly what one destination would receive of a Segment message (or why
 * it receives nothing) and the decision trace, offline.
 */
@Command(
        name = "preview",
        description = "Show what one destination would receive of EVENT.json, and why, as JSON.",
        mixinStandardHelpOptions = true)
public final class PreviewCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EVENT.json", description = "A Segment message (track, page, identify, ...).")
    Path eventFile;

    @Option(names = "--destination", required = true, paramLabel = "ID", description = "The destination id.")
    String destination;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "Preview with this policy file instead of the applied policy.")
    @Nullable
    Path policyFile;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Data directory: its applied policy (without --policy) and its masking keys, so masked ids"
                    + " are the real ones (default without --policy: " + Workspace.DEFAULT_DATA_DIR
                    + "; with --policy and no --data-dir an ephemeral random key is used).")
    @Nullable
    Path dataDir;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The server config (veil.yaml): like --data-dir, from the stores it names (sqlite or"
                    + " postgres).")
    @Nullable
    Path config;

    @Option(names = "--ip", paramLabel = "IP", description = "The client IP the request came from.")
    @Nullable
    String ip;

    @Option(names = "--user-agent", paramLabel = "UA", description = "The request's User-Agent header.")
    @Nullable
    String userAgent;

    @Option(names = "--gpc", description = "The request carried Sec-GPC: 1.")
    boolean gpc;

    @Option(
            names = "--received-at",
            paramLabel = "INSTANT",
            description = "When Veil received it (ISO-8601; default: the message's receivedAt, else now). Selects"
                    + " the masking key version.")
    @Nullable
    Instant receivedAt;

    @Option(names = "--source", paramLabel = "ID", description = "The sending source id (default: the policy's first).")
    @Nullable
    String source;

    @Override
    public Integer call() {
        return Cli.run(spec, () -> {
            PrintWriter err = spec.commandLine().getErr();
            Policy policy;
            MaskingKeyring keyring;
            if (policyFile != null && dataDir == null && config == null) {
                policy = PolicyFiles.load(policyFile);
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                keyring = MaskingKeyring.single(secret);
                err.println(
                        "preview: no --data-dir or --config: masking with an ephemeral random key; masked ids differ from"
                                + " the workspace's");
            } else {
                try (Workspace ws = Workspace.open(new StoreLocation(config, dataDir), false)) {
                    ConfigStore store = ws.config();
                    policy = policyFile != null ? PolicyFiles.load(policyFile) : applied(store, ws.location());
                    keyring = MaskingKeyring.of(store.maskingSecrets().stream()
                            .map(s -> new KeyVersion(s.version(), s.activatedAt(), s.secret()))
                            .toList());
                }
            }
            DestinationPolicy target = policy.destination(destination)
                    .orElseThrow(() -> CliFailure.invalid("--destination: no destination '" + destination
                            + "' in the policy; it has: "
                            + policy.destinations().stream()
                                    .map(DestinationPolicy::id)
                                    .collect(Collectors.joining(", "))));
            String sourceId = source != null
                    ? source
                    : policy.sources().isEmpty()
                            ? "preview"
                            : policy.sources().get(0).id();
            RawEvent event =
                    PreviewEvents.read(eventFile, new PreviewEvents.Request(sourceId, ip, userAgent, gpc, receivedAt));
            try (GeoHandle geo = geo(policy, err)) {
                EngineConfig.Builder config =
                        EngineConfig.builder(keyring).privacy(policy.privacy()).geo(geo.locator());
                if (event.userAgent() != null) {
                    // Building the parser takes seconds: only when there is a user agent to generalize.
                    config.userAgents(YauaaUserAgentGeneralizer.create(16));
                }
                var decision = new DefaultPrivacyEngine(config.build()).evaluate(event, target);
                spec.commandLine()
                        .getOut()
                        .println(DecisionJson.write(
                                destination,
                                decision,
                                keyring.versionAt(event.receivedAt()).version(),
                                freeTextWarnings(policy, target)));
                spec.commandLine().getOut().flush();
            }
            err.flush();
            return 0;
        });
    }

    /**
     * The validator's free-text warnings for the previewed destination ("'pass' on a field that looks like free
     * text"): what the PHI scanner cannot vouch for, shown next to what would be sent.
     */
    private static java.util.List<String> freeTextWarnings(Policy policy, DestinationPolicy target) {
        String prefix = "destinations[" + policy.destinations().indexOf(target) + "].";
        return new dev.veil.core.policy.PolicyValidator(java.util.Map.of())
                .validate(policy, dev.veil.core.policy.LineIndex.EMPTY).stream()
                        .filter(p -> p.severity() == dev.veil.core.policy.PolicyProblem.Severity.WARNING)
                        .filter(p -> p.path().startsWith(prefix) && p.detail().contains("free text"))
                        .map(p -> p.path() + ": " + p.detail())
                        .toList();
    }

    private static Policy applied(ConfigStore store, String workspace) {
        PolicyVersion v = store.latestPolicy()
                .orElseThrow(() -> CliFailure.invalid(
                        "no policy applied yet in " + workspace + "; pass --policy FILE or apply one first"));
        return PolicyFiles.parseStored(v.yaml(), v.version());
    }

    /** The geo locator and what to close after use. */
    private record GeoHandle(GeoLocator locator, @Nullable MaxMindGeoLocator owned) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (owned != null) {
                owned.close();
            }
        }
    }

    private static GeoHandle geo(Policy policy, PrintWriter err) {
        String database = policy.privacy().geo().database();
        if (database == null) {
            return new GeoHandle(GeoLocator.NONE, null);
        }
        Path path = Path.of(database);
        if (!Files.isReadable(path)) {
            // A preview on a laptop often lacks the server's database: say so instead of failing.
            err.println("preview: privacy.geo.database " + database + " is not readable here; previewing without geo");
            return new GeoHandle(GeoLocator.NONE, null);
        }
        MaxMindGeoLocator locator = MaxMindGeoLocator.open(path);
        return new GeoHandle(locator, locator);
    }
}

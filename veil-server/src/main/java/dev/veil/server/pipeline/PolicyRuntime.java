package dev.veil.server.pipeline;

import dev.veil.api.ConnectorDescriptor;
import dev.veil.core.engine.Decision;
import dev.veil.core.engine.DefaultPrivacyEngine;
import dev.veil.core.engine.EngineConfig;
import dev.veil.core.engine.MaskingKeyring;
import dev.veil.core.engine.PrivacyEngine;
import dev.veil.core.engine.UserAgentGeneralizer;
import dev.veil.core.engine.YauaaUserAgentGeneralizer;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyLoader;
import dev.veil.core.policy.ValidationReport;
import dev.veil.store.ConfigStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applied policy and the privacy engine built from it, kept current with the config store.
 *
 * <p>Design note: {@code veil policy apply} and {@code veil keys rotate} write to the config store from another
 * process; a running server sees them by calling {@link #refresh()} periodically. The policy and the engine are
 * swapped together in one atomic reference, so a delivery worker never evaluates with one policy's destinations
 * and another policy's privacy settings. This class is itself a {@link PrivacyEngine} that delegates to the
 * current engine, which keeps the engine's contract (pure, thread-safe) for callers.
 */
public final class PolicyRuntime implements PrivacyEngine {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyRuntime.class);

    private final ConfigStore config;
    private final Map<String, ConnectorDescriptor> connectors;
    private final UserAgentGeneralizer userAgents;
    private final AtomicReference<State> state = new AtomicReference<>();

    /**
     * Yauaa takes seconds of CPU to build and is thread-safe: one per process, built on a background thread from
     * the first {@link #prewarm()} (serve and demo call it once they are ready, so that it does not compete with
     * start-up for the CPU) or the first user agent to generalize, which waits for it. Building a runtime does
     * not start it.
     */
    private static final class SharedUserAgents {
        static final CompletableFuture<UserAgentGeneralizer> BUILT = new CompletableFuture<>();

        static {
            Thread.ofPlatform().daemon().name("veil-user-agents-build").start(() -> {
                try {
                    BUILT.complete(YauaaUserAgentGeneralizer.create(10_000));
                } catch (RuntimeException | Error e) {
                    LOG.error(
                            "user agent analyzer could not be built ({}): user agents are not generalized",
                            e.getClass().getName());
                    BUILT.complete(UserAgentGeneralizer.NONE);
                }
            });
        }
    }

    /** Waits for the analyzer on first use (starting its build if nothing did), then delegates. */
    private static final UserAgentGeneralizer SHARED_USER_AGENTS =
            ua -> SharedUserAgents.BUILT.join().generalize(ua);

    /** Starts building the shared user agent analyzer in the background (idempotent). */
    public static void prewarm() {
        SharedUserAgents.BUILT.isDone();
    }

    private record State(int policyVersion, int keyVersions, Policy policy, PrivacyEngine engine) {}

    /** An empty policy: no sources, no destinations, nothing flows. */
    private static final Policy EMPTY =
            PolicyLoader.load("version: 1\n", "empty policy", Map.of()).orThrow();

    public PolicyRuntime(ConfigStore config, Map<String, ConnectorDescriptor> connectors) {
        this.config = config;
        this.connectors = Map.copyOf(connectors);
        this.userAgents = SHARED_USER_AGENTS;
        refresh();
    }

    /**
     * Applies {@code yaml} as a new policy version when it differs from the applied one (used by {@code serve
     * --config} for the configured policy file). Returns the report; an invalid policy is not stored.
     */
    public ValidationReport applyIfChanged(String yaml, String sourceName, String author) {
        ValidationReport report = PolicyLoader.load(yaml, sourceName, connectors);
        Optional<Policy> candidate = report.maybePolicy();
        if (candidate.isPresent() && !candidate.get().equals(current())) {
            int version = config.savePolicy(yaml, author, "applied from " + sourceName)
                    .version();
            LOG.info("policy version {} applied from {}", version, sourceName);
            refresh();
        }
        return report;
    }

    /**
     * Rebuilds the engine when the config store has a newer policy version or new masking keys. Returns true when
     * something changed. An applied version that no longer validates (e.g. a connector type was removed) keeps
     * the previous one running and logs why.
     */
    public synchronized boolean refresh() {
        State before = state.get();
        var latest = config.latestPolicy();
        List<ConfigStore.MaskingSecret> secrets = config.maskingSecrets();
        int policyVersion = latest.map(ConfigStore.PolicyVersion::version).orElse(0);
        if (before != null && before.policyVersion() == policyVersion && before.keyVersions() == secrets.size()) {
            return false;
        }
        Policy policy = EMPTY;
        if (latest.isPresent()) {
            ValidationReport report =
                    PolicyLoader.load(latest.get().yaml(), "policy version " + policyVersion, connectors);
            if (!report.valid()) {
                LOG.error(
                        "policy version {} does not validate; keeping the previous one:\n{}",
                        policyVersion,
                        report.format());
                return false;
            }
            policy = report.orThrow();
        }
        MaskingKeyring keyring = MaskingKeyring.of(secrets.stream()
                .map(s -> new MaskingKeyring.KeyVersion(s.version(), s.activatedAt(), s.secret()))
                .toList());
        EngineConfig engineConfig = EngineConfig.builder(keyring)
                .privacy(policy.privacy())
                .geoFromSettings()
                .userAgents(userAgents)
                .build();
        state.set(new State(policyVersion, secrets.size(), policy, new DefaultPrivacyEngine(engineConfig)));
        LOG.info(
                "running policy version {} ({} destinations, {} sources), masking key versions {}",
                policyVersion,
                policy.destinations().size(),
                policy.sources().size(),
                secrets.size());
        return true;
    }

    /** The policy in force. */
    public Policy current() {
        return state.get().policy();
    }

    /** The applied policy version, 0 when none was applied. */
    public int version() {
        return state.get().policyVersion();
    }

    @Override
    public Decision evaluate(RawEvent event, DestinationPolicy destination) {
        return state.get().engine().evaluate(event, destination);
    }
}

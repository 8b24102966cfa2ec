package dev.veil.admin.policy;

import dev.veil.admin.AdminException;
import dev.veil.admin.audit.Audit;
import dev.veil.admin.auth.Principal;
import dev.veil.api.ConnectorDescriptor;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PolicyDiff;
import dev.veil.core.policy.PolicyExporter;
import dev.veil.core.policy.PolicyLoader;
import dev.veil.core.policy.PrivacySettings;
import dev.veil.core.policy.SecretResolver;
import dev.veil.core.policy.ValidationReport;
import dev.veil.store.ConfigStore;
import dev.veil.store.ConfigStore.PolicyVersion;
import dev.veil.store.DraftStore;
import dev.veil.store.DraftStore.Draft;
import dev.veil.store.SecretStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Policy as code, shared by the CLI ({@code veil policy validate|diff|apply|export|history}) and the admin API:
 * validating against the known connectors, plain-words diffs, applying (publishing, or drafting when the
 * two-person rule is on), exports and history with approvers. Thread-safe.
 */
public final class PolicyService {

    /** What a workspace with no applied policy flows: nothing. */
    public static final Policy EMPTY = new Policy(1, PrivacySettings.DEFAULTS, List.of(), List.of());

    /** Largest policy text accepted (a real policy is a few KB). */
    public static final int MAX_YAML_BYTES = 1024 * 1024;

    private final ConfigStore config;
    private final DraftStore drafts;
    private final SecretStore secrets;
    private final Audit audit;
    private final Map<String, ConnectorDescriptor> connectors;
    private final SecretResolver resolver;

    public PolicyService(
            ConfigStore config,
            DraftStore drafts,
            SecretStore secrets,
            Audit audit,
            Map<String, ConnectorDescriptor> connectors,
            SecretResolver resolver) {
        this.config = config;
        this.drafts = drafts;
        this.secrets = secrets;
        this.audit = audit;
        this.connectors = Map.copyOf(new TreeMap<>(connectors));
        this.resolver = resolver.withStored(name -> secrets.get(name).orElse(null));
    }

    public ConfigStore config() {
        return config;
    }

    public DraftStore drafts() {
        return drafts;
    }

    public Audit audit() {
        return audit;
    }

    /** The connector types the validator knows, by type. */
    public Map<String, ConnectorDescriptor> connectors() {
        return connectors;
    }

    /** Every error and warning of {@code yaml}, with paths and lines. */
    public ValidationReport validate(String yaml, String sourceName) {
        if (yaml.length() > MAX_YAML_BYTES) {
            throw new AdminException(
                    413,
                    "payload_too_large",
                    "policy is " + yaml.length() + " characters; the limit is " + MAX_YAML_BYTES);
        }
        return PolicyLoader.load(yaml, sourceName, connectors);
    }

    /** The valid policy in {@code yaml}, or an {@code invalid_policy} error listing every problem. */
    public Policy parse(String yaml, String sourceName) {
        ValidationReport report = validate(yaml, sourceName);
        if (!report.valid()) {
            throw new AdminException(422, "invalid_policy", "invalid policy\n" + report.format());
        }
        return report.orThrow();
    }

    /** The published policy version, if any. */
    public Optional<PolicyVersion> published() {
        return config.latestPolicy();
    }

    /**
     * The published policy, {@link #EMPTY} before the first; a stored version that no longer validates (say a
     * connector was removed) also reads as empty, so a fixed policy can still be applied over it.
     */
    public Policy publishedPolicy() {
        return config.latestPolicy()
                .flatMap(
                        v -> validate(v.yaml(), "policy version " + v.version()).maybePolicy())
                .orElse(EMPTY);
    }

    /** What changes, in plain words, going from {@code from} to {@code to}. */
    public List<PolicyDiff.Change> diff(Policy from, Policy to) {
        return PolicyDiff.between(from, to);
    }

    /** Secret references of {@code policy} that do not resolve here, as sentences naming paths and references. */
    public List<String> unresolvedSecrets(Policy policy) {
        return resolver.check(policy);
    }

    /** Whether two policies are the same (their canonical exports are equal). */
    public static boolean same(Policy a, Policy b) {
        return PolicyExporter.export(a).equals(PolicyExporter.export(b));
    }

    /** The result of applying a policy. */
    public sealed interface ApplyResult {
        List<PolicyDiff.Change> changes();
    }

    /** Nothing to do: the published version is already this policy. */
    public record Unchanged(int version, List<PolicyDiff.Change> changes) implements ApplyResult {}

    /** Published as a new version. */
    public record Published(PolicyVersion version, List<PolicyDiff.Change> changes) implements ApplyResult {}

    /** The two-person rule is on: stored as a draft for a privacy officer to approve. */
    public record Drafted(Draft draft, List<PolicyDiff.Change> changes) implements ApplyResult {}

    /**
     * {@code veil policy apply}: validates, checks that secret references resolve, and publishes the policy as the
     * next version; with the two-person rule on it creates a draft instead. Audited either way.
     */
    public ApplyResult apply(String yaml, String sourceName, Principal who, String comment) {
        Policy proposed = checked(yaml, sourceName);
        return apply(proposed, yaml, sourceName, who, comment);
    }

    /** The valid policy in {@code yaml} whose secret references all resolve, or an error saying what is wrong. */
    private Policy checked(String yaml, String sourceName) {
        Policy proposed = parse(yaml, sourceName);
        List<String> unresolved = unresolvedSecrets(proposed);
        if (!unresolved.isEmpty()) {
            throw new AdminException(
                    422,
                    "unresolved_secrets",
                    "refusing " + sourceName + ": secret references do not resolve\n" + String.join("\n", unresolved));
        }
        return proposed;
    }

    /**
     * The policy file given to {@code veil serve} at start ({@code policy:} in veil.yaml), applied as its author
     * {@code file:<path>}. Without the two-person rule it is published when it differs from the published version
     * (as before). With the rule on, a file that differs becomes a draft for approval (once: a restart with the
     * same file does not draft it again) and the published version keeps running; only the very first start, with
     * no published version at all, publishes the file directly (audited as {@code policy.bootstrap}).
     */
    public ApplyResult applyFileAtStart(String yaml, String path) {
        String sourceName = "file:" + path;
        Principal file = Principal.policyFile(path);
        Policy proposed = checked(yaml, sourceName);
        if (drafts.twoPersonRule()) {
            if (published().isEmpty()) {
                PolicyVersion saved = config.savePolicy(yaml, file.who(), "bootstrapped from the policy file at start");
                Map<String, Object> detail = detail(sourceName, null, diff(EMPTY, proposed));
                detail.put("after", saved.version());
                audit.success(file, "policy.bootstrap", "policy:" + saved.version(), detail);
                return new Published(saved, diff(EMPTY, proposed));
            }
            Policy from = publishedPolicy();
            if (!same(from, proposed)) {
                Optional<Draft> pending = drafts.drafts(true).stream()
                        .filter(d -> d.author().equals(file.who())
                                && validate(d.yaml(), sourceName)
                                        .maybePolicy()
                                        .map(p -> same(p, proposed))
                                        .orElse(false))
                        .findFirst();
                if (pending.isPresent()) {
                    return new Drafted(pending.get(), diff(from, proposed));
                }
            }
        }
        return apply(proposed, yaml, sourceName, file, "policy file at start");
    }

    private ApplyResult apply(Policy proposed, String yaml, String sourceName, Principal who, String comment) {
        Optional<PolicyVersion> current = published();
        Policy from = publishedPolicy();
        List<PolicyDiff.Change> changes = diff(from, proposed);
        if (current.isPresent() && same(from, proposed)) {
            return new Unchanged(current.get().version(), changes);
        }
        if (drafts.twoPersonRule()) {
            Draft d = drafts.createDraft(current.map(PolicyVersion::version).orElse(0), yaml, who.who(), comment);
            audit.success(who, "policy.draft_create", "draft:" + d.id(), detail(sourceName, d.revision(), changes));
            return new Drafted(d, changes);
        }
        PolicyVersion saved = config.savePolicy(yaml, who.who(), comment);
        Map<String, Object> detail = detail(sourceName, null, changes);
        detail.put("before", current.map(PolicyVersion::version).orElse(0));
        detail.put("after", saved.version());
        audit.success(who, "policy.apply", "policy:" + saved.version(), detail);
        return new Published(saved, changes);
    }

    private static Map<String, Object> detail(
            String source, @Nullable Integer revision, List<PolicyDiff.Change> changes) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("source", source);
        if (revision != null) {
            d.put("revision", revision);
        }
        d.put("changes", changes.stream().map(PolicyDiff.Change::toString).toList());
        return d;
    }

    /** A stored version by number, or the published one when {@code version} is null. */
    public PolicyVersion version(@Nullable Integer version) {
        if (version == null) {
            return published().orElseThrow(() -> AdminException.notFound("a published policy"));
        }
        return config.policy(version).orElseThrow(() -> AdminException.notFound("policy version " + version));
    }

    /** The canonical YAML of a stored version (secrets stay references); audited as an export. */
    public String export(@Nullable Integer version, Principal who) {
        PolicyVersion v = version(version);
        String yaml = PolicyExporter.export(parse(v.yaml(), "policy version " + v.version()));
        audit.success(who, "policy.export", "policy:" + v.version(), Map.of());
        return yaml;
    }

    /** One published version with who wrote it and who approved it. */
    public record HistoryEntry(
            int version,
            String author,
            java.time.Instant createdAt,
            String comment,
            @Nullable Long draftId,
            List<String> approvedBy,
            @Nullable String publishedBy) {}

    /** Published versions, newest first, with their drafts' approvers. */
    public List<HistoryEntry> history() {
        return config.policyHistory().stream()
                .map(v -> {
                    Optional<Draft> d = drafts.publishedAs(v.version());
                    List<String> approvers = d.map(draft -> drafts.approvals(draft.id()).stream()
                                    .filter(a -> a.revision() == draft.revision())
                                    .map(DraftStore.Approval::approver)
                                    .toList())
                            .orElse(List.of());
                    return new HistoryEntry(
                            v.version(),
                            v.author(),
                            v.createdAt(),
                            v.comment(),
                            d.map(Draft::id).orElse(null),
                            approvers,
                            d.map(Draft::closedBy).orElse(null));
                })
                .toList();
    }

    public boolean twoPersonRule() {
        return drafts.twoPersonRule();
    }

    /** Switches the two-person rule; audited with before and after. */
    public void setTwoPersonRule(Principal who, boolean on) {
        boolean before = drafts.twoPersonRule();
        drafts.setTwoPersonRule(on);
        audit.success(
                who,
                "settings.update",
                "settings",
                Audit.changes(Map.of("twoPersonRule", before), Map.of("twoPersonRule", on), java.util.Set.of()));
    }

    SecretStore secrets() {
        return secrets;
    }
}

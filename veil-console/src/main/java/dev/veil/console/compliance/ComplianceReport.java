package dev.veil.console.compliance;

import dev.veil.admin.policy.PolicyService;
import dev.veil.admin.policy.PolicyService.HistoryEntry;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.Policy;
import dev.veil.store.ConfigStore.PolicyVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The compliance report's content: for every destination of the published policy, what it receives and under
 * which treatment, since which version (the first version of the unbroken run of versions up to now that shared
 * it the same way), and who approved and published that version; and its BAA status. Built from the policy
 * history alone, so it states what the policy allows, not what traffic happened to carry. Immutable.
 *
 * @param generatedAt when the report was made
 * @param version the published version, 0 before the first
 * @param publishedAt when it was published
 * @param approval who approved and published it, in words
 * @param destinations one section per destination
 */
public record ComplianceReport(
        Instant generatedAt, int version, @Nullable Instant publishedAt, String approval, List<Section> destinations) {

    public ComplianceReport {
        destinations = List.copyOf(destinations);
    }

    /**
     * One destination.
     *
     * @param id destination id
     * @param name display name
     * @param type connector type
     * @param baa whether a BAA is signed
     * @param enabled whether events flow
     * @param consent consent categories required
     * @param since when it first appeared in the unbroken run of versions, with its approval
     * @param shared what it receives
     */
    public record Section(
            String id,
            String name,
            String type,
            boolean baa,
            boolean enabled,
            List<String> consent,
            Since since,
            List<Shared> shared) {
        public Section {
            consent = List.copyOf(consent);
            shared = List.copyOf(shared);
        }
    }

    /** A version with its time and approval in words. */
    public record Since(int version, @Nullable Instant at, String approval) {}

    /** One shared item with the version it has been shared since. */
    public record Shared(
            String category, String appliesTo, String field, String treatment, String reason, Since since) {}

    /** Builds the report from the published policy and its history. */
    public static ComplianceReport build(PolicyService policies, Instant now) {
        List<HistoryEntry> history = new ArrayList<>(policies.history());
        history.sort(Comparator.comparingInt(HistoryEntry::version));
        Map<Integer, Since> sinceOf = new HashMap<>();
        for (HistoryEntry h : history) {
            sinceOf.put(h.version(), new Since(h.version(), h.createdAt(), approval(h)));
        }
        // Walk versions oldest first; an item's run starts at the first version of its latest unbroken streak.
        Map<String, Integer> destinationStart = new HashMap<>();
        Map<String, Integer> itemStart = new HashMap<>();
        for (HistoryEntry h : history) {
            Optional<Policy> p = parse(policies, h.version());
            Map<String, Integer> destSeen = new HashMap<>();
            Map<String, Integer> itemSeen = new HashMap<>();
            for (DestinationPolicy d : p.map(Policy::destinations).orElse(List.of())) {
                destSeen.put(d.id(), destinationStart.getOrDefault(d.id(), h.version()));
                for (SharedItems.Item i : SharedItems.of(d)) {
                    String k = d.id() + '\u0000' + i.key();
                    itemSeen.put(k, itemStart.getOrDefault(k, h.version()));
                }
            }
            destinationStart.clear();
            destinationStart.putAll(destSeen);
            itemStart.clear();
            itemStart.putAll(itemSeen);
        }
        Policy published = policies.publishedPolicy();
        int version = policies.published().map(PolicyVersion::version).orElse(0);
        Since unknown = new Since(version, null, "not recorded");
        List<Section> sections = new ArrayList<>();
        for (DestinationPolicy d : published.destinations()) {
            List<Shared> shared = new ArrayList<>();
            for (SharedItems.Item i : SharedItems.of(d)) {
                Integer start = itemStart.get(d.id() + '\u0000' + i.key());
                shared.add(new Shared(
                        i.category(),
                        i.appliesTo(),
                        i.field(),
                        i.treatment(),
                        i.reason(),
                        start == null ? unknown : sinceOf.getOrDefault(start, unknown)));
            }
            Integer start = destinationStart.get(d.id());
            sections.add(new Section(
                    d.id(),
                    d.name(),
                    d.type(),
                    d.baa(),
                    d.enabled(),
                    d.consent(),
                    start == null ? unknown : sinceOf.getOrDefault(start, unknown),
                    shared));
        }
        Since current = sinceOf.get(version);
        return new ComplianceReport(
                now,
                version,
                current == null ? null : current.at(),
                current == null ? "no policy published yet" : current.approval(),
                sections);
    }

    private static Optional<Policy> parse(PolicyService policies, int version) {
        try {
            PolicyVersion v = policies.version(version);
            return policies.validate(v.yaml(), "policy version " + version).maybePolicy();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    static String approval(HistoryEntry h) {
        String by = h.publishedBy() != null ? h.publishedBy() : h.author();
        if (h.approvedBy().isEmpty()) {
            return "published by " + by + " without a second approval";
        }
        return "approved by " + String.join(", ", h.approvedBy()) + "; published by " + by;
    }
}

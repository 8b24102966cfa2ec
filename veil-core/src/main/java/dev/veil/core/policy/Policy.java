package dev.veil.core.policy;

import java.util.List;
import java.util.Optional;

/**
 * A parsed privacy policy (shared spec/policy.md): the privacy settings shared by all destinations, the
 * sources that may send events, and one {@link DestinationPolicy} per destination. Immutable.
 */
public record Policy(
        int version, PrivacySettings privacy, List<SourceSpec> sources, List<DestinationPolicy> destinations) {

    public Policy {
        sources = List.copyOf(sources);
        destinations = List.copyOf(destinations);
    }

    public Optional<DestinationPolicy> destination(String id) {
        return destinations.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    public Optional<SourceSpec> source(String id) {
        return sources.stream().filter(s -> s.id().equals(id)).findFirst();
    }
}

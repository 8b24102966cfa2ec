package dev.veil.core.policy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What recent traffic looked like, for the validator's "allowed but never seen" warnings: for each event name,
 * the property paths seen on it (dotted for nested fields, e.g. {@code product.category}). Holds names only,
 * never values. Immutable.
 *
 * @param propertiesByEvent property paths seen per event name
 */
public record ObservedTraffic(Map<String, Set<String>> propertiesByEvent) {

    public ObservedTraffic {
        Map<String, Set<String>> copy = new HashMap<>();
        propertiesByEvent.forEach((event, props) -> copy.put(event, Set.copyOf(props)));
        propertiesByEvent = Map.copyOf(copy);
    }

    /** Whether {@code property} (or a field nested under it) was seen on {@code event}. */
    public boolean seen(String event, String property) {
        Set<String> props = propertiesByEvent.get(event);
        return props != null && seenIn(props, property);
    }

    /** Whether {@code property} (or a field nested under it) was seen on any event. */
    public boolean seenOnAnyEvent(String property) {
        return propertiesByEvent.values().stream().anyMatch(props -> seenIn(props, property));
    }

    private static boolean seenIn(Set<String> props, String property) {
        if (props.contains(property)) {
            return true;
        }
        String prefix = property + ".";
        return props.stream().anyMatch(p -> p.startsWith(prefix));
    }
}

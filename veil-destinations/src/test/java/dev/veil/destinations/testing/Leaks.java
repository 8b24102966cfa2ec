package dev.veil.destinations.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks that a vendor payload carries no value that did not come from the safe events (or from a short list of
 * values the test names: vendor constants, settings, derived timestamps).
 */
public final class Leaks {

    private Leaks() {}

    /** Every scalar value of the payload that is neither in the events nor in {@code derived}. */
    public static Set<String> foreignValues(JsonNode payload, List<SafeEvent> events, Collection<String> derived) {
        Set<String> allowed = new HashSet<>(derived);
        for (SafeEvent e : events) {
            allowed.addAll(valuesOf(e));
        }
        Set<String> foreign = new TreeSet<>();
        collect(payload, foreign, allowed);
        return foreign;
    }

    private static void collect(JsonNode node, Set<String> foreign, Set<String> allowed) {
        if (node.isContainerNode()) {
            node.forEach(child -> collect(child, foreign, allowed));
            return;
        }
        String text = normalize(node.asText());
        if (!allowed.contains(text)) {
            foreign.add(node.asText());
        }
    }

    public static Set<String> valuesOf(SafeEvent e) {
        Set<String> out = new HashSet<>();
        add(out, e.messageId(), e.name(), e.userId(), e.anonymousId(), e.groupId(), e.previousId());
        leaves(e.properties(), out);
        leaves(e.traits(), out);
        SafeContext c = e.context();
        if (c.geo() != null) {
            add(out, c.geo().country(), c.geo().region());
        }
        if (c.userAgent() != null) {
            add(
                    out,
                    c.userAgent().browser(),
                    c.userAgent().browserMajor(),
                    c.userAgent().os(),
                    c.userAgent().deviceType());
        }
        add(out, c.ip(), c.rawUserAgent(), c.pageUrl(), c.pagePath(), c.referrer(), c.pageTitle());
        c.campaign().values().forEach(v -> add(out, v));
        c.clickIds().values().forEach(v -> add(out, v));
        c.consent().values().forEach(v -> add(out, v.toString()));
        if (c.session() != null) {
            add(out, Long.toString(c.session().id()));
            if (c.session().number() != null) {
                add(out, c.session().number().toString());
            }
            if (c.session().engagementTimeMs() != null) {
                add(out, c.session().engagementTimeMs().toString());
            }
        }
        if (c.device() != null) {
            add(out, c.device().locale(), c.device().screen(), c.device().timezone());
        }
        return out;
    }

    private static void leaves(Object value, Set<String> out) {
        if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> leaves(v, out));
        } else if (value instanceof Collection<?> c) {
            c.forEach(v -> leaves(v, out));
        } else if (value != null) {
            add(out, value.toString());
        }
    }

    private static void add(Set<String> out, String... values) {
        for (String v : values) {
            if (v != null) {
                out.add(normalize(v));
            }
        }
    }

    /** Numbers compare by value ("129.50" equals "129.5"). */
    private static String normalize(String s) {
        try {
            return new BigDecimal(s).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return s;
        }
    }
}

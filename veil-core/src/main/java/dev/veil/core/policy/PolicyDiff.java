package dev.veil.core.policy;

import dev.veil.core.policy.DestinationPolicy.AllowedEvent;
import dev.veil.core.policy.DestinationPolicy.Context;
import dev.veil.core.policy.DestinationPolicy.Events;
import dev.veil.core.policy.DestinationPolicy.Identity;
import dev.veil.core.policy.PrivacySettings.Detector;
import dev.veil.core.policy.PrivacySettings.SensitivePage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What changes, in plain words, when going from one policy to another: per destination, which events,
 * properties, traits and context fields start or stop flowing, which transforms change, and the changes to
 * shared privacy settings and sources. Order is deterministic: privacy, sources, then destinations (in the new
 * policy's order, removed ones last), each in a fixed order of topics. Setting values are never shown (they may
 * be credentials), only which setting changed. Stateless and thread-safe.
 *
 * <pre>{@code
 * for (PolicyDiff.Change c : PolicyDiff.between(current, proposed)) {
 *     System.out.println(c); // ga4-marketing: starts receiving property `service_line` of event `Appointment Booked`
 * }
 * }</pre>
 */
public final class PolicyDiff {

    /**
     * One change.
     *
     * @param subject a destination id, {@code privacy}, or {@code source <id>}
     * @param text what changes, e.g. {@code starts receiving event `Signed Up`}
     */
    public record Change(String subject, String text) {
        @Override
        public String toString() {
            return subject + ": " + text;
        }
    }

    private PolicyDiff() {}

    /** The changes from {@code from} to {@code to}; empty when they are equal in effect. */
    public static List<Change> between(Policy from, Policy to) {
        List<Change> out = new ArrayList<>();
        privacy(out, from.privacy(), to.privacy());
        for (SourceSpec s : to.sources()) {
            from.source(s.id())
                    .ifPresentOrElse(
                            old -> source(out, old, s), () -> out.add(new Change("source " + s.id(), "added")));
        }
        for (SourceSpec s : from.sources()) {
            if (to.source(s.id()).isEmpty()) {
                out.add(new Change("source " + s.id(), "removed: its write key stops being accepted"));
            }
        }
        for (DestinationPolicy d : to.destinations()) {
            var old = from.destination(d.id());
            if (old.isPresent()) {
                destination(out, old.get(), d);
            } else {
                out.add(new Change(d.id(), "added (type " + d.type() + ")"));
                destination(out, nothingFlows(d), d);
            }
        }
        for (DestinationPolicy d : from.destinations()) {
            if (to.destination(d.id()).isEmpty()) {
                out.add(new Change(d.id(), "removed: stops receiving everything"));
            }
        }
        return List.copyOf(out);
    }

    /** The same destination receiving nothing: the baseline a new destination is compared with. */
    private static DestinationPolicy nothingFlows(DestinationPolicy d) {
        return new DestinationPolicy(
                d.id(),
                d.type(),
                d.name(),
                d.enabled(),
                false,
                List.of(),
                Map.of(),
                Identity.DEFAULTS,
                Context.DEFAULTS,
                Events.NONE,
                Map.of(),
                Map.of(),
                Map.of());
    }

    private static void privacy(List<Change> out, PrivacySettings a, PrivacySettings b) {
        Changes c = new Changes(out, "privacy");
        c.listDiff(
                a.url().keepQueryParams(),
                b.url().keepQueryParams(),
                "now keeps query parameter",
                "no longer keeps query parameter");
        c.listDiff(a.url().redactPaths(), b.url().redactPaths(), "starts redacting paths", "stops redacting paths");
        Map<String, SensitivePage> pagesA = byKey(a.url().sensitivePages(), SensitivePage::match);
        Map<String, SensitivePage> pagesB = byKey(b.url().sensitivePages(), SensitivePage::match);
        for (String match : union(pagesA.keySet(), pagesB.keySet())) {
            SensitivePage pa = pagesA.get(match);
            SensitivePage pb = pagesB.get(match);
            if (pa == null) {
                c.add("new sensitive page `" + match + "`: " + pageAction(Objects.requireNonNull(pb)));
            } else if (pb == null) {
                c.add("sensitive page `" + match + "` removed: its URLs are no longer " + pageVerb(pa));
            } else if (!pa.equals(pb)) {
                c.add("sensitive page `" + match + "`: " + pageAction(pa) + " → " + pageAction(pb));
            }
        }
        for (Detector d : Detector.values()) {
            boolean was = a.scanner().detectors().contains(d);
            boolean is = b.scanner().detectors().contains(d);
            if (was != is) {
                c.add((is ? "starts" : "stops") + " scanning with detector `" + YamlNames.word(d) + "`");
            }
        }
        c.listDiff(a.scanner().mrnPatterns(), b.scanner().mrnPatterns(), "adds MRN pattern", "removes MRN pattern");
        c.change(
                "scanner onMatch",
                YamlNames.word(a.scanner().onMatch()),
                YamlNames.word(b.scanner().onMatch()));
        if (!Objects.equals(a.geo().database(), b.geo().database())) {
            c.add(
                    b.geo().database() == null
                            ? "geo database removed: ip: geo yields nothing"
                            : a.geo().database() == null ? "geo database set" : "geo database changed");
        }
        c.change(
                "consent default",
                YamlNames.word(a.consent().defaultConsent()),
                YamlNames.word(b.consent().defaultConsent()));
        if (a.consent().honorGpc() != b.consent().honorGpc()) {
            c.add(b.consent().honorGpc() ? "starts honoring Sec-GPC" : "stops honoring Sec-GPC");
        }
        c.listDiff(
                a.money().fields(), b.money().fields(), "treats as a money field", "no longer treats as a money field");
        if (a.money().maximum().compareTo(b.money().maximum()) != 0) {
            c.add("money maximum: " + a.money().maximum().toPlainString() + " → "
                    + b.money().maximum().toPlainString());
        }
    }

    private static String pageAction(SensitivePage p) {
        return p.action() == PrivacySettings.SensitiveAction.DROP_EVENT
                ? "events are dropped"
                : "URLs become `" + p.replaceWith() + "`";
    }

    private static String pageVerb(SensitivePage p) {
        return p.action() == PrivacySettings.SensitiveAction.DROP_EVENT ? "dropped" : "generalized";
    }

    private static void source(List<Change> out, SourceSpec a, SourceSpec b) {
        Changes c = new Changes(out, "source " + b.id());
        if (!a.name().equals(b.name())) {
            c.add("renamed");
        }
        if (!Objects.equals(a.writeKey(), b.writeKey())) {
            c.add("write key reference changed");
        }
        c.listDiff(a.allowedOrigins(), b.allowedOrigins(), "starts accepting origin", "stops accepting origin");
        if (a.trustedServer() != b.trustedServer()) {
            c.add(
                    b.trustedServer()
                            ? "starts believing its messages' context.ip and context.userAgent (trusted server source)"
                            : "stops believing its messages' context.ip and context.userAgent");
        }
        if (!Objects.equals(a.identityCookie(), b.identityCookie())) {
            c.add(
                    b.identityCookie() == null
                            ? "stops setting the identity cookie"
                            : a.identityCookie() == null
                                    ? "starts setting the identity cookie"
                                    : "identity cookie domain changed");
        }
    }

    private static void destination(List<Change> out, DestinationPolicy a, DestinationPolicy b) {
        Changes c = new Changes(out, b.id());
        c.change("type", a.type(), b.type());
        if (!a.name().equals(b.name())) {
            c.add("renamed");
        }
        if (a.enabled() != b.enabled()) {
            c.add(
                    b.enabled()
                            ? "enabled: starts receiving what its policy allows"
                            : "disabled: stops receiving everything");
        }
        c.change("baa", String.valueOf(a.baa()), String.valueOf(b.baa()));
        c.listDiff(a.consent(), b.consent(), "now also needs consent", "no longer needs consent");
        for (String key : union(a.settings().keySet(), b.settings().keySet())) {
            SettingValue va = a.settings().get(key);
            SettingValue vb = b.settings().get(key);
            if (va == null) {
                c.add("setting `" + key + "` added");
            } else if (vb == null) {
                c.add("setting `" + key + "` removed");
            } else if (!va.equals(vb)) {
                c.add("setting `" + key + "` changed");
            }
        }
        identity(c, a.identity(), b.identity());
        c.change("event id", YamlNames.word(a.eventId()), YamlNames.word(b.eventId()));
        context(c, a.context(), b.context());
        events(c, a, b);
        rules(c, a.properties(), b.properties(), "property", " on every allowed event");
        rules(c, a.traits(), b.traits(), "trait", "");
        rules(c, a.groupTraits(), b.groupTraits(), "group trait", "");
    }

    private static void identity(Changes c, Identity a, Identity b) {
        c.change("identity userId", YamlNames.word(a.userId()), YamlNames.word(b.userId()));
        c.change("identity anonymousId", YamlNames.word(a.anonymousId()), YamlNames.word(b.anonymousId()));
        c.change("identity groupId", YamlNames.word(a.groupId()), YamlNames.word(b.groupId()));
        c.change("identity previousId", YamlNames.word(a.previousId()), YamlNames.word(b.previousId()));
    }

    private static void context(Changes c, Context a, Context b) {
        c.change("context ip", YamlNames.word(a.ip()), YamlNames.word(b.ip()));
        c.change("context userAgent", YamlNames.word(a.userAgent()), YamlNames.word(b.userAgent()));
        c.change("context pageUrl", YamlNames.word(a.pageUrl()), YamlNames.word(b.pageUrl()));
        c.change("context referrer", YamlNames.word(a.referrer()), YamlNames.word(b.referrer()));
        c.change("context pageTitle", YamlNames.word(a.pageTitle()), YamlNames.word(b.pageTitle()));
        c.change("context campaign", YamlNames.word(a.campaign()), YamlNames.word(b.campaign()));
        c.change("context session", YamlNames.word(a.session()), YamlNames.word(b.session()));
        c.change("context device", YamlNames.word(a.device()), YamlNames.word(b.device()));
        c.listDiff(a.clickIds(), b.clickIds(), "starts receiving click id", "stops receiving click id");
    }

    private static void events(Changes c, DestinationPolicy a, DestinationPolicy b) {
        Events ea = a.events();
        Events eb = b.events();
        c.toggle(ea.pages(), eb.pages(), "page/screen calls");
        c.toggle(ea.identify(), eb.identify(), "identify calls");
        c.toggle(ea.group(), eb.group(), "group calls");
        c.toggle(ea.alias(), eb.alias(), "alias calls");
        Map<String, AllowedEvent> byNameA = byKey(ea.allow(), AllowedEvent::name);
        Map<String, AllowedEvent> byNameB = byKey(eb.allow(), AllowedEvent::name);
        for (String name : union(byNameA.keySet(), byNameB.keySet())) {
            AllowedEvent va = byNameA.get(name);
            AllowedEvent vb = byNameB.get(name);
            if (va == null) {
                AllowedEvent added = Objects.requireNonNull(vb);
                c.add("starts receiving event `" + name + "`" + (added.as() == null ? "" : " as `" + added.as() + "`"));
            } else if (vb == null) {
                c.add("stops receiving event `" + name + "`");
                continue;
            } else if (!Objects.equals(va.as(), vb.as())) {
                c.add("event `" + name + "` is now sent as `" + sentName(vb) + "` (was `" + sentName(va) + "`)");
            }
            eventProperties(c, a.properties(), va, b.properties(), Objects.requireNonNull(vb));
        }
    }

    /**
     * Compares what an event carries of its own keys: an event's rule overrides the destination-wide one, so a
     * key is looked up in the event first; keys only ever destination-wide are reported once, by {@link #rules}.
     */
    private static void eventProperties(
            Changes c,
            Map<String, FieldRule> globalA,
            @Nullable AllowedEvent a,
            Map<String, FieldRule> globalB,
            AllowedEvent b) {
        Map<String, FieldRule> ownA = a == null ? Map.of() : a.properties();
        String suffix = " of event `" + b.name() + "`";
        for (String key : union(ownA.keySet(), b.properties().keySet())) {
            FieldRule ra = a == null ? null : ownA.getOrDefault(key, globalA.get(key));
            FieldRule rb = b.properties().getOrDefault(key, globalB.get(key));
            ruleChange(c, "property", key, suffix, ra, rb);
        }
    }

    private static void rules(
            Changes c, Map<String, FieldRule> a, Map<String, FieldRule> b, String kind, String suffix) {
        for (String key : union(a.keySet(), b.keySet())) {
            ruleChange(c, kind, key, suffix, a.get(key), b.get(key));
        }
    }

    private static void ruleChange(
            Changes c, String kind, String key, String suffix, @Nullable FieldRule a, @Nullable FieldRule b) {
        boolean flowsA = a != null && a.transform() != Transform.DROP;
        boolean flowsB = b != null && b.transform() != Transform.DROP;
        if (!flowsA && flowsB) {
            c.add("starts receiving " + kind + " `" + key + "`" + transformNote(b) + suffix);
        } else if (flowsA && !flowsB) {
            c.add("stops receiving " + kind + " `" + key + "`" + suffix);
        } else if (flowsA && a.transform() != b.transform()) {
            c.add(kind + " `" + key + "`" + suffix + ": " + a.transform().yamlName() + " → "
                    + b.transform().yamlName());
        } else if (flowsA && !Objects.equals(a.reason(), b.reason())) {
            c.add(kind + " `" + key + "`" + suffix + ": reason changed");
        }
    }

    private static String transformNote(FieldRule r) {
        return r.transform() == Transform.PASS ? "" : " (" + r.transform().yamlName() + ")";
    }

    private static String sentName(AllowedEvent e) {
        return e.as() == null ? e.name() : e.as();
    }

    private static <T> Map<String, T> byKey(List<T> items, Function<T, String> key) {
        Map<String, T> out = new java.util.LinkedHashMap<>();
        items.forEach(i -> out.putIfAbsent(key.apply(i), i));
        return out;
    }

    /** Keys of {@code b} in its order, then those only in {@code a}: new-policy order first. */
    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new LinkedHashSet<>(b);
        out.addAll(a);
        return out;
    }

    /** Collects changes for one subject. */
    private record Changes(List<Change> out, String subject) {
        void add(String text) {
            out.add(new Change(subject, text));
        }

        void change(String what, String from, String to) {
            if (!from.equals(to)) {
                add(what + ": " + from + " → " + to);
            }
        }

        void toggle(boolean from, boolean to, String what) {
            if (from != to) {
                add((to ? "starts" : "stops") + " receiving " + what);
            }
        }

        void listDiff(List<String> from, List<String> to, String added, String removed) {
            for (String s : to) {
                if (!from.contains(s)) {
                    add(added + " `" + s + "`");
                }
            }
            for (String s : from) {
                if (!to.contains(s)) {
                    add(removed + " `" + s + "`");
                }
            }
        }
    }
}

package dev.veil.core.policy;

import dev.veil.core.policy.DestinationPolicy.AllowedEvent;
import dev.veil.core.policy.DestinationPolicy.Context;
import dev.veil.core.policy.DestinationPolicy.EventIdMode;
import dev.veil.core.policy.DestinationPolicy.Events;
import dev.veil.core.policy.DestinationPolicy.IdAction;
import dev.veil.core.policy.DestinationPolicy.Identity;
import dev.veil.core.policy.DestinationPolicy.IpAction;
import dev.veil.core.policy.DestinationPolicy.Toggle;
import dev.veil.core.policy.DestinationPolicy.UrlAction;
import dev.veil.core.policy.DestinationPolicy.UserAgentAction;
import dev.veil.core.policy.NodeReader.Fields;
import dev.veil.core.policy.YamlTree.MapNode;
import dev.veil.core.policy.YamlTree.Node;
import dev.veil.core.policy.YamlTree.Scalar;
import dev.veil.core.policy.YamlTree.ScalarKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads one entry of {@code destinations:} with the spec's defaults. */
final class DestinationReader {

    private DestinationReader() {}

    static @Nullable DestinationPolicy read(NodeReader r, Node n, String path) {
        Fields f = r.fields(
                n,
                path,
                "id",
                "type",
                "name",
                "enabled",
                "baa",
                "consent",
                "settings",
                "identity",
                "context",
                "events",
                "properties",
                "traits",
                "groupTraits",
                "eventId");
        if (f == null) {
            return null;
        }
        String id = PolicyParser.readId(r, f);
        String type = f.requiredString("type");
        String name = f.optionalString("name");
        boolean enabled = f.bool("enabled", true);
        boolean baa = f.bool("baa", false);
        List<String> consent = f.stringList("consent");
        Map<String, SettingValue> settings = settings(r, f);
        Identity identity = f.object(
                "identity",
                Identity.DEFAULTS,
                i -> new Identity(
                        i.enumValue("userId", IdAction.class, IdAction.MASK),
                        i.enumValue("anonymousId", IdAction.class, IdAction.MASK),
                        i.enumValue("groupId", IdAction.class, IdAction.MASK),
                        i.enumValue("previousId", IdAction.class, IdAction.MASK)),
                "userId",
                "anonymousId",
                "groupId",
                "previousId");
        Context context = f.object(
                "context",
                Context.DEFAULTS,
                c -> context(r, c),
                "ip",
                "userAgent",
                "pageUrl",
                "referrer",
                "pageTitle",
                "campaign",
                "session",
                "device",
                "clickIds");
        Events events =
                f.object("events", Events.NONE, e -> events(r, e), "pages", "identify", "group", "alias", "allow");
        Map<String, FieldRule> properties = rules(r, f, "properties");
        Map<String, FieldRule> traits = rules(r, f, "traits");
        Map<String, FieldRule> groupTraits = rules(r, f, "groupTraits");
        EventIdMode eventId = f.enumValue("eventId", EventIdMode.class, EventIdMode.DERIVE);
        if (id == null || type == null) {
            return null;
        }
        return new DestinationPolicy(
                id,
                type,
                name == null ? id : name,
                enabled,
                baa,
                consent,
                settings,
                identity,
                context,
                events,
                properties,
                traits,
                groupTraits,
                eventId);
    }

    private static Context context(NodeReader r, Fields c) {
        List<String> clickIds = c.stringList("clickIds");
        List<String> known = new ArrayList<>();
        for (int i = 0; i < clickIds.size(); i++) {
            String id = clickIds.get(i);
            if (DestinationPolicy.KNOWN_CLICK_IDS.contains(id)) {
                known.add(id);
            } else {
                String p = Paths.item(c.path("clickIds"), i);
                r.error(
                        p,
                        r.lines.lineOf(p),
                        "unknown click id " + Paths.quoteIfWord(id) + "; expected "
                                + YamlNames.orList(DestinationPolicy.KNOWN_CLICK_IDS));
            }
        }
        return new Context(
                c.enumValue("ip", IpAction.class, IpAction.DROP),
                c.enumValue("userAgent", UserAgentAction.class, UserAgentAction.DROP),
                c.enumValue("pageUrl", UrlAction.class, UrlAction.DROP),
                c.enumValue("referrer", UrlAction.class, UrlAction.DROP),
                c.enumValue("pageTitle", Toggle.class, Toggle.DROP),
                c.enumValue("campaign", Toggle.class, Toggle.DROP),
                c.enumValue("session", Toggle.class, Toggle.DROP),
                c.enumValue("device", Toggle.class, Toggle.DROP),
                known);
    }

    private static Events events(NodeReader r, Fields e) {
        List<AllowedEvent> allow = List.of();
        Node allowNode = e.node("allow");
        if (allowNode != null) {
            Map<String, Integer> firstIndex = new HashMap<>();
            List<AllowedEvent> read = r.list(allowNode, e.path("allow"), false, (n, p) -> {
                AllowedEvent ev = allowed(r, n, p);
                if (ev == null) {
                    return null;
                }
                int index = Integer.parseInt(p.substring(p.lastIndexOf('[') + 1, p.length() - 1));
                Integer first = firstIndex.putIfAbsent(ev.name(), index);
                if (first != null) {
                    r.error(
                            Paths.child(p, "name"),
                            r.lines.lineOf(Paths.child(p, "name")),
                            "event already allowed at " + Paths.item(e.path("allow"), first));
                    return null;
                }
                return ev;
            });
            allow = read == null ? List.of() : read;
        }
        return new Events(
                e.bool("pages", false),
                e.bool("identify", false),
                e.bool("group", false),
                e.bool("alias", false),
                allow);
    }

    private static @Nullable AllowedEvent allowed(NodeReader r, Node n, String path) {
        if (n instanceof Scalar s && s.kind() == ScalarKind.STRING) {
            // Shorthand: "- Signed Up" allows the event with no properties of its own.
            String name = r.string(n, path);
            return name == null ? null : new AllowedEvent(name, null, Map.of());
        }
        Fields f = r.fields(n, path, "name", "as", "properties");
        if (f == null) {
            return null;
        }
        String name = f.requiredString("name");
        String as = f.optionalString("as");
        Map<String, FieldRule> properties = rules(r, f, "properties");
        return name == null ? null : new AllowedEvent(name, as, properties);
    }

    /** Reads a {@code key: transform} or {@code key: {transform, reason}} mapping, keeping YAML order. */
    static Map<String, FieldRule> rules(NodeReader r, Fields parent, String key) {
        Node n = parent.node(key);
        if (n == null) {
            return Map.of();
        }
        String path = parent.path(key);
        r.lines.put(path, n.line());
        if (!(n instanceof MapNode map)) {
            r.error(path, n.line(), "expected a mapping of key: transform, found " + NodeReader.typeName(n));
            return Map.of();
        }
        Map<String, FieldRule> out = new LinkedHashMap<>();
        for (YamlTree.Entry e : map.entries().values()) {
            String p = Paths.child(path, e.key());
            r.lines.put(p, e.keyLine());
            if (!validKey(e.key())) {
                r.error(p, e.keyLine(), "a key must be non-empty, and a dotted key must not have empty parts");
                continue;
            }
            FieldRule rule = rule(r, e.value(), p);
            if (rule != null) {
                out.put(e.key(), rule);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static boolean validKey(String key) {
        if (key.isBlank() || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
            return false;
        }
        return true;
    }

    private static @Nullable FieldRule rule(NodeReader r, Node n, String path) {
        if (n instanceof MapNode) {
            Fields f = r.fields(n, path, "transform", "reason");
            if (f == null) {
                return null;
            }
            Node t = f.node("transform");
            if (t == null) {
                r.error(path, n.line(), "missing required key 'transform'");
                return null;
            }
            Transform transform = r.enumValue(t, f.path("transform"), Transform.class);
            String reason = f.optionalString("reason");
            return transform == null ? null : new FieldRule(transform, reason);
        }
        Transform transform = r.enumValue(n, path, Transform.class);
        return transform == null ? null : FieldRule.of(transform);
    }

    private static Map<String, SettingValue> settings(NodeReader r, Fields f) {
        Node n = f.node("settings");
        if (n == null) {
            return Map.of();
        }
        String path = f.path("settings");
        r.lines.put(path, n.line());
        if (!(n instanceof MapNode map)) {
            r.error(path, n.line(), "expected a mapping of setting: value, found " + NodeReader.typeName(n));
            return Map.of();
        }
        Map<String, SettingValue> out = new LinkedHashMap<>();
        for (YamlTree.Entry e : map.entries().values()) {
            String p = Paths.child(path, e.key());
            r.lines.put(p, e.keyLine());
            SettingValue v = setting(r, e.value(), p);
            if (v != null) {
                out.put(e.key(), v);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Reads a setting; never quotes its value in a problem (settings hold credentials). */
    private static @Nullable SettingValue setting(NodeReader r, Node n, String path) {
        if (!(n instanceof Scalar s) || s.kind() == ScalarKind.NULL) {
            r.error(path, n.line(), "expected a string, number or boolean, found " + NodeReader.typeName(n));
            return null;
        }
        return switch (s.kind()) {
            case STRING -> {
                if (s.text().isEmpty()) {
                    r.error(path, n.line(), "has no value");
                    yield null;
                }
                if (SecretRef.looksLikeReference(s.text())) {
                    SecretRef ref = PolicyParser.secretRef(r, s, path);
                    yield ref == null ? null : new SettingValue.Secret(ref);
                }
                yield new SettingValue.Literal(s.text());
            }
            case BOOLEAN ->
                new SettingValue.Literal(Boolean.parseBoolean(s.text().toLowerCase(java.util.Locale.ROOT)));
            case INTEGER -> {
                if (s.number() instanceof BigInteger big) {
                    yield new SettingValue.Literal(big.bitLength() < 64 ? (Object) big.longValue() : big);
                }
                r.error(path, n.line(), "is not a usable integer");
                yield null;
            }
            case FLOAT -> {
                if (s.number() instanceof BigDecimal dec) {
                    double d = dec.doubleValue();
                    if (Double.isFinite(d)) {
                        yield new SettingValue.Literal(d);
                    }
                }
                r.error(path, n.line(), "is not a finite number");
                yield null;
            }
            case NULL -> throw new AssertionError("handled above");
        };
    }
}

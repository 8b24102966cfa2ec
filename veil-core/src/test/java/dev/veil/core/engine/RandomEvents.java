package dev.veil.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.DestinationPolicy.AllowedEvent;
import dev.veil.core.policy.DestinationPolicy.IdAction;
import dev.veil.core.policy.DestinationPolicy.IpAction;
import dev.veil.core.policy.DestinationPolicy.Toggle;
import dev.veil.core.policy.DestinationPolicy.UrlAction;
import dev.veil.core.policy.DestinationPolicy.UserAgentAction;
import dev.veil.core.policy.FieldRule;
import dev.veil.core.policy.Transform;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random events and policies for property tests. Every event plants secrets (ids, an e-mail, an IP) whose raw
 * values must never reach a non-BAA destination; they are recorded in {@link Planted}.
 */
final class RandomEvents {

    static final List<String> EVENT_NAMES = List.of("Appointment Booked", "Signed Up", "Viewed", "Form Submitted");
    static final List<String> KEYS = List.of(
            "plan", "value", "product", "category", "items", "sku", "notes", "email", "zip", "dob", "age", "name");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The secrets planted in one event. */
    record Planted(String userId, String anonymousId, String email, String ip) {
        List<String> all() {
            return List.of(userId, anonymousId, email, ip);
        }
    }

    record Generated(RawEvent event, Planted planted) {}

    private RandomEvents() {}

    static String token(Random r, int min, int max) {
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        int n = min + r.nextInt(max - min + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    static String text(Random r, Planted p) {
        return switch (r.nextInt(10)) {
            case 0 -> "contact " + p.email() + " please";
            case 1 -> "from " + p.ip();
            case 2 -> unicode(r, 1 + r.nextInt(20));
            case 3 -> "x".repeat(r.nextInt(20_000));
            case 4 -> p.email();
            case 5 -> r.nextBoolean() ? "94110" : "1984-03-12";
            default -> token(r, 1, 12);
        };
    }

    static String unicode(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int cp = switch (r.nextInt(4)) {
                case 0 -> 0x20 + r.nextInt(0x5f);
                case 1 -> 0xa0 + r.nextInt(0x2000);
                case 2 -> 0x1F300 + r.nextInt(0x300);
                default -> 0x4e00 + r.nextInt(0x500);
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    static JsonNode value(Random r, Planted p, int depth) {
        int kind = r.nextInt(depth > 2 ? 4 : 7);
        return switch (kind) {
            case 0, 1 -> F.textNode(text(r, p));
            case 2 -> r.nextBoolean() ? F.numberNode(r.nextInt(200)) : F.numberNode(r.nextDouble() * 1000);
            case 3 -> r.nextInt(5) == 0 ? F.nullNode() : F.booleanNode(r.nextBoolean());
            case 4, 5 -> object(r, p, depth + 1);
            default -> {
                ArrayNode a = F.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(value(r, p, depth + 1));
                }
                yield a;
            }
        };
    }

    static ObjectNode object(Random r, Planted p, int depth) {
        ObjectNode o = F.objectNode();
        for (int i = r.nextInt(6); i > 0; i--) {
            String key = r.nextInt(4) == 0 ? unicode(r, 1 + r.nextInt(6)) : KEYS.get(r.nextInt(KEYS.size()));
            o.set(key, value(r, p, depth));
        }
        return o;
    }

    static Generated event(Random r) {
        Planted p = new Planted(
                "uid" + token(r, 12, 20),
                "anon" + token(r, 12, 20),
                token(r, 5, 10).toLowerCase() + "@" + token(r, 4, 8).toLowerCase() + ".org",
                (11 + r.nextInt(200)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254)));
        EventType type = EventType.values()[r.nextInt(EventType.values().length)];
        ObjectNode m = F.objectNode();
        m.put("type", type.wireName());
        m.put("event", EVENT_NAMES.get(r.nextInt(EVENT_NAMES.size())));
        if (r.nextInt(3) > 0) {
            m.put("userId", p.userId());
        }
        m.put("anonymousId", p.anonymousId());
        m.put("groupId", "grp" + token(r, 12, 20));
        m.put("previousId", "prev" + token(r, 12, 20));
        if (type == EventType.PAGE || type == EventType.SCREEN) {
            m.put("name", text(r, p));
        }
        m.set("properties", object(r, p, 0));
        m.set("traits", object(r, p, 0));
        ObjectNode ctx = m.putObject("context");
        ctx.set("traits", object(r, p, 1));
        ctx.put("ip", p.ip());
        ctx.put("userAgent", "Mozilla/5.0 " + text(r, p));
        ObjectNode page = ctx.putObject("page");
        page.put(
                "url",
                "https://" + p.email() + ":pw@www.example.org/u/" + p.email() + "/" + token(r, 1, 8) + "?email="
                        + p.email() + "&utm_source=" + token(r, 1, 8) + "&ip=" + p.ip() + "#" + p.userId());
        page.put("referrer", "https://ref.example.com/?q=" + p.email());
        page.put("title", text(r, p));
        ObjectNode campaign = ctx.putObject("campaign");
        campaign.put("name", text(r, p));
        campaign.put("term", text(r, p));
        ObjectNode session = ctx.putObject("session");
        session.put("id", 1732900000000L + r.nextInt(1000));
        ctx.put("locale", r.nextBoolean() ? "en-US" : text(r, p));
        ctx.putObject("clickIds").put("gclid", r.nextBoolean() ? token(r, 10, 30) : text(r, p));
        if (r.nextBoolean()) {
            ctx.putObject("consent")
                    .putObject("categoryPreferences")
                    .put("analytics", r.nextBoolean())
                    .put("advertising", r.nextBoolean());
        }
        Instant received = Instant.parse("2026-03-01T12:00:00Z").plusSeconds(r.nextInt(1_000_000));
        RawEvent e = new RawEvent(
                "website",
                "msg-" + r.nextInt(1000),
                type,
                received,
                received,
                m,
                r.nextBoolean() ? p.ip() : null,
                null,
                r.nextBoolean());
        return new Generated(e, p);
    }

    static Map<String, FieldRule> rules(Random r) {
        Map<String, FieldRule> out = new LinkedHashMap<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            String key = KEYS.get(r.nextInt(KEYS.size()));
            if (r.nextInt(3) == 0) {
                key = key + "." + KEYS.get(r.nextInt(KEYS.size()));
            }
            Transform t = Transform.values()[r.nextInt(Transform.values().length)];
            out.put(key, FieldRule.of(t));
        }
        return out;
    }

    static <T> T pick(Random r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    /** A random policy; {@code baa} false means the spec's validator would accept it for a non-BAA vendor. */
    static DestinationPolicy policy(Random r, String id, boolean baa) {
        IdAction[] ids = baa ? IdAction.values() : new IdAction[] {IdAction.MASK, IdAction.DROP};
        IpAction[] ips = baa ? IpAction.values() : new IpAction[] {IpAction.DROP, IpAction.GEO};
        UrlAction[] urls = baa ? UrlAction.values() : new UrlAction[] {UrlAction.DROP, UrlAction.SANITIZE};
        List<AllowedEvent> allow = new ArrayList<>();
        for (String name : EVENT_NAMES) {
            if (r.nextBoolean()) {
                allow.add(new AllowedEvent(name, r.nextBoolean() ? null : "renamed_" + r.nextInt(9), rules(r)));
            }
        }
        List<String> clickIds = new ArrayList<>();
        for (String c : DestinationPolicy.KNOWN_CLICK_IDS) {
            if (r.nextInt(4) == 0) {
                clickIds.add(c);
            }
        }
        return new DestinationPolicy(
                id,
                "webhook",
                id,
                r.nextInt(10) > 0,
                baa,
                r.nextBoolean() ? List.of() : List.of(r.nextBoolean() ? "analytics" : "advertising"),
                Map.of(),
                new DestinationPolicy.Identity(pick(r, ids), pick(r, ids), pick(r, ids), pick(r, ids)),
                new DestinationPolicy.Context(
                        pick(r, ips),
                        pick(r, UserAgentAction.values()),
                        pick(r, urls),
                        pick(r, urls),
                        pick(r, Toggle.values()),
                        pick(r, Toggle.values()),
                        pick(r, Toggle.values()),
                        pick(r, Toggle.values()),
                        clickIds),
                new DestinationPolicy.Events(r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), allow),
                rules(r),
                rules(r),
                rules(r));
    }
}

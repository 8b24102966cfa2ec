package dev.veil.core.engine;

import dev.veil.api.EventType;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.DestinationPolicy.AllowedEvent;
import dev.veil.core.policy.DestinationPolicy.IdAction;
import dev.veil.core.policy.DestinationPolicy.Toggle;
import dev.veil.core.policy.FieldRule;
import dev.veil.core.policy.Transform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a destination's policy does with one field of one kind of event, decided without an event: the static
 * side of {@link DefaultPrivacyEngine}, for the console's privacy matrix and the compliance report. It compiles
 * allowlists with the engine's own {@link FieldTree} and follows the engine's reading of ids and context fields
 * (a {@code pass} that needs a BAA falls back as the engine does). What it cannot know without a value — whether
 * the PHI scanner redacts it, whether a transform recognizes it — is the console's traffic counts' job.
 *
 * <p>Paths are those of the data dictionary: {@code properties.service_line}, {@code properties.items[].sku},
 * {@code traits.zip}, {@code context.traits.age}, {@code context.page.url}, {@code userId}. Pure and thread-safe.
 */
public final class FieldTreatments {

    private FieldTreatments() {}

    /** How a field leaves, or that it does not. */
    public enum Kind {
        /** The destination never receives it. */
        BLOCKED,
        /** Passed as is, after the PHI scanner. */
        PASS,
        /** Replaced by a keyed hash. */
        MASK,
        ZIP3,
        YEAR,
        AGE90,
        /** Reduced to a coarser value (IP to region, user agent to browser and OS, URL without query). */
        GENERALIZED;

        /** How the console and reports name it. */
        public String label() {
            return switch (this) {
                case BLOCKED -> "blocked";
                case PASS -> "pass";
                case MASK -> "masked";
                case ZIP3 -> "zip3";
                case YEAR -> "year";
                case AGE90 -> "age90";
                case GENERALIZED -> "generalized";
            };
        }

        /** The kind a value transform gives. */
        public static Kind of(Transform t) {
            return switch (t) {
                case PASS -> PASS;
                case MASK -> MASK;
                case ZIP3 -> ZIP3;
                case YEAR -> YEAR;
                case AGE90 -> AGE90;
                case DROP -> BLOCKED;
            };
        }
    }

    /**
     * @param kind what happens
     * @param rule the policy rule responsible, in the engine's trace wording (e.g. {@code not allowlisted},
     *     {@code transform zip3}, {@code identity.userId: pass needs baa})
     */
    public record Treatment(Kind kind, String rule) {
        public boolean flows() {
            return kind != Kind.BLOCKED;
        }
    }

    private static final List<String> CAMPAIGN = ContextFilter.CAMPAIGN_KEYS;

    /**
     * Why no event of this kind reaches the destination, if none does: disabled, not allowed, or its call type
     * switched off. Consent is not a reason here: it depends on each event.
     */
    public static Optional<String> eventBlocked(DestinationPolicy d, EventType type, @Nullable String eventName) {
        if (!d.enabled()) {
            return Optional.of("destination disabled");
        }
        return switch (type) {
            case TRACK -> allowed(d, eventName).isPresent() ? Optional.empty() : Optional.of("event not allowed");
            case PAGE, SCREEN -> d.events().pages() ? Optional.empty() : Optional.of("events.pages is false");
            case IDENTIFY -> d.events().identify() ? Optional.empty() : Optional.of("events.identify is false");
            case GROUP -> d.events().group() ? Optional.empty() : Optional.of("events.group is false");
            case ALIAS -> d.events().alias() ? Optional.empty() : Optional.of("events.alias is false");
        };
    }

    /** The allowed-event entry of a track event, if the destination allows it. */
    public static Optional<AllowedEvent> allowed(DestinationPolicy d, @Nullable String eventName) {
        if (eventName == null) {
            return Optional.empty();
        }
        return d.events().allow().stream()
                .filter(a -> a.name().equals(eventName))
                .findFirst();
    }

    /** What {@code d} does with the scalar at {@code path} of an event of this type and name. */
    public static Treatment of(DestinationPolicy d, EventType type, @Nullable String eventName, String path) {
        Optional<String> blocked = eventBlocked(d, type, eventName);
        if (blocked.isPresent()) {
            return blocked(blocked.get());
        }
        String[] parts = path.replace("[]", "").split("\\.", -1);
        return switch (parts[0]) {
            case "userId" -> id(d, "userId", d.identity().userId());
            case "anonymousId" -> id(d, "anonymousId", d.identity().anonymousId());
            case "groupId" ->
                type == EventType.GROUP
                        ? id(d, "groupId", d.identity().groupId())
                        : blocked("read on group calls only");
            case "previousId" ->
                type == EventType.ALIAS
                        ? id(d, "previousId", d.identity().previousId())
                        : blocked("read on alias calls only");
            case "name" ->
                type == EventType.PAGE || type == EventType.SCREEN
                        ? new Treatment(Kind.PASS, "events.pages")
                        : blocked("not read by the engine");
            case "properties" -> tree(propertyRules(d, type, eventName), parts, 1);
            case "traits" -> {
                if (type == EventType.IDENTIFY) {
                    yield tree(FieldTree.of(d.traits(), Map.of()), parts, 1);
                }
                yield type == EventType.GROUP
                        ? tree(FieldTree.of(d.groupTraits(), Map.of()), parts, 1)
                        : blocked("traits are read on identify and group calls only");
            }
            case "context" -> context(d, type, parts);
            default -> blocked("not read by the engine");
        };
    }

    private static FieldTree propertyRules(DestinationPolicy d, EventType type, @Nullable String eventName) {
        Map<String, FieldRule> own =
                type == EventType.TRACK ? allowed(d, eventName).orElseThrow().properties() : Map.of();
        return FieldTree.of(d.properties(), own);
    }

    private static Treatment tree(FieldTree root, String[] parts, int from) {
        FieldTree node = root;
        for (int i = from; i < parts.length; i++) {
            node = node.child(parts[i]);
            if (node == null) {
                return blocked(FieldFilter.NOT_ALLOWLISTED);
            }
        }
        Transform t = node.rule();
        if (t == null) {
            return blocked(node.hasChildren() ? "objects pass only allowlisted leaves" : FieldFilter.NOT_ALLOWLISTED);
        }
        return t == Transform.DROP ? blocked("transform drop") : new Treatment(Kind.of(t), "transform " + t.yamlName());
    }

    private static Treatment id(DestinationPolicy d, String field, IdAction action) {
        return switch (action) {
            case DROP -> blocked("identity." + field + ": drop");
            case MASK -> new Treatment(Kind.MASK, "identity." + field + ": mask");
            case PASS ->
                d.baa()
                        ? new Treatment(Kind.PASS, "identity." + field + ": pass (baa)")
                        : new Treatment(Kind.MASK, "identity." + field + ": pass needs baa");
        };
    }

    private static Treatment context(DestinationPolicy d, EventType type, String[] parts) {
        DestinationPolicy.Context c = d.context();
        String field = parts.length > 1 ? parts[1] : "";
        String sub = parts.length > 2 ? parts[2] : "";
        return switch (field) {
            case "traits" ->
                type == EventType.GROUP
                        ? blocked("context.traits are not read on group calls")
                        : tree(FieldTree.of(d.traits(), Map.of()), parts, 2);
            case "ip" ->
                switch (c.ip()) {
                    case DROP -> blocked("context.ip: drop");
                    case GEO -> new Treatment(Kind.GENERALIZED, "context.ip: geo");
                    case PASS ->
                        d.baa()
                                ? new Treatment(Kind.PASS, "context.ip: pass (baa)")
                                : blocked("context.ip: pass needs baa");
                };
            case "userAgent" ->
                switch (c.userAgent()) {
                    case DROP -> blocked("context.userAgent: drop");
                    case GENERALIZE -> new Treatment(Kind.GENERALIZED, "context.userAgent: generalize");
                    case PASS -> new Treatment(Kind.PASS, "context.userAgent: pass");
                };
            case "page" ->
                switch (sub) {
                    case "url", "path" -> url("pageUrl", c.pageUrl(), d.baa());
                    case "referrer" -> url("referrer", c.referrer(), d.baa());
                    case "title" -> toggle("pageTitle", c.pageTitle());
                    default -> blocked("not read by the engine");
                };
            case "campaign" -> CAMPAIGN.contains(sub) ? toggle("campaign", c.campaign()) : blocked("not read");
            case "session" ->
                List.of("id", "number", "engagementTimeMs").contains(sub)
                        ? toggle("session", c.session())
                        : blocked("not read by the engine");
            case "locale", "timezone" -> toggle("device", c.device());
            case "screen" ->
                sub.equals("width") || sub.equals("height") ? toggle("device", c.device()) : blocked("not read");
            case "clickIds" ->
                c.clickIds().contains(sub)
                        ? new Treatment(Kind.PASS, "context.clickIds")
                        : blocked("context.clickIds: not listed");
            default -> blocked("not read by the engine");
        };
    }

    private static Treatment url(String field, DestinationPolicy.UrlAction action, boolean baa) {
        return switch (action) {
            case DROP -> blocked("context." + field + ": drop");
            case SANITIZE -> new Treatment(Kind.GENERALIZED, "context." + field + ": sanitize");
            case PASS ->
                baa
                        ? new Treatment(Kind.PASS, "context." + field + ": pass (baa)")
                        : new Treatment(Kind.GENERALIZED, "context." + field + ": pass needs baa (sanitized)");
        };
    }

    private static Treatment toggle(String field, Toggle t) {
        return t == Toggle.PASS
                ? new Treatment(Kind.PASS, "context." + field + ": pass")
                : blocked("context." + field + ": drop");
    }

    private static Treatment blocked(String rule) {
        return new Treatment(Kind.BLOCKED, rule);
    }
}

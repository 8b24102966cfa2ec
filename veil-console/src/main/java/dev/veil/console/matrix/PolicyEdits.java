package dev.veil.console.matrix;

import dev.veil.api.EventType;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.DestinationPolicy.AllowedEvent;
import dev.veil.core.policy.DestinationPolicy.Events;
import dev.veil.core.policy.DestinationPolicy.IdAction;
import dev.veil.core.policy.DestinationPolicy.Identity;
import dev.veil.core.policy.FieldRule;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.Transform;
import dev.veil.store.DictionaryStore.EventKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The policy changes a click in the matrix makes, as pure functions from one {@link Policy} to the next. Each
 * changes as little as it can: allowing a property of an event allows that property on that event only (and
 * the event, if it was not allowed); blocking it removes the event's rule, or overrides a destination-wide rule
 * with {@code drop} for that event. Properties of page, identify or group calls and traits are destination-wide
 * in the policy format, so changing them changes them for every call that carries them.
 */
public final class PolicyEdits {

    private PolicyEdits() {}

    /** The identifiers whose handling the matrix changes (a destination's {@code identity} settings). */
    public static final java.util.Set<String> IDENTIFIERS =
            java.util.Set.of("userId", "anonymousId", "groupId", "previousId");

    /**
     * Whether the matrix changes this path's rule: properties, traits and the identifiers (the latter for every
     * event of the destination); other context fields are destination settings.
     */
    public static boolean editable(String path) {
        return path.startsWith("properties.")
                || path.startsWith("traits.")
                || path.startsWith("context.traits.")
                || IDENTIFIERS.contains(path);
    }

    /** Whether {@code path} is one of the {@link #IDENTIFIERS}. */
    public static boolean identifier(String path) {
        return IDENTIFIERS.contains(path);
    }

    /**
     * {@code policy} with the destination's handling of an identifier ({@code userId}, …) set to {@code action}:
     * for every event of that destination. {@code pass} needs a BAA, which the validator enforces.
     */
    public static Policy setIdentity(Policy policy, String destinationId, String identifier, IdAction action) {
        DestinationPolicy d = destination(policy, destinationId);
        Identity i = d.identity();
        Identity next = switch (identifier) {
            case "userId" -> new Identity(action, i.anonymousId(), i.groupId(), i.previousId());
            case "anonymousId" -> new Identity(i.userId(), action, i.groupId(), i.previousId());
            case "groupId" -> new Identity(i.userId(), i.anonymousId(), action, i.previousId());
            case "previousId" -> new Identity(i.userId(), i.anonymousId(), i.groupId(), action);
            default -> throw new IllegalArgumentException(identifier + " is not an identifier");
        };
        return replace(
                policy,
                new DestinationPolicy(
                        d.id(),
                        d.type(),
                        d.name(),
                        d.enabled(),
                        d.baa(),
                        d.consent(),
                        d.settings(),
                        next,
                        d.context(),
                        d.events(),
                        d.properties(),
                        d.traits(),
                        d.groupTraits(),
                        d.eventId()));
    }

    /** The policy key of a dictionary path: {@code properties.items[].sku} becomes {@code items.sku}. */
    static String ruleKey(String path) {
        String rest = path.startsWith("context.traits.")
                ? path.substring("context.traits.".length())
                : path.substring(path.indexOf('.') + 1);
        return rest.replace("[]", "");
    }

    /**
     * {@code policy} with the rule of {@code path} of {@code event} at {@code destinationId} set to {@code transform}
     * ({@link Transform#DROP} blocks it).
     *
     * @param reason why an identifier-named key may pass to a destination without a BAA, or null
     * @throws IllegalArgumentException for an unknown destination or a path the matrix does not edit
     */
    public static Policy setField(
            Policy policy,
            String destinationId,
            EventKey event,
            String path,
            Transform transform,
            @Nullable String reason) {
        if (!editable(path) || identifier(path)) {
            throw new IllegalArgumentException(path + " is set in the destination's identity or context settings");
        }
        DestinationPolicy d = destination(policy, destinationId);
        EventType type = EventType.fromWire(event.type()).orElse(EventType.TRACK);
        String key = ruleKey(path);
        FieldRule rule = new FieldRule(transform, reason);
        DestinationPolicy changed;
        if (path.startsWith("properties.") && type == EventType.TRACK) {
            changed = trackProperty(d, event.name(), key, rule);
        } else if (path.startsWith("properties.")) {
            changed = copy(
                    d,
                    switchOn(d.events(), type, transform),
                    set(d.properties(), key, rule),
                    d.traits(),
                    d.groupTraits());
        } else if (path.startsWith("traits.") && type == EventType.GROUP) {
            changed = copy(
                    d,
                    switchOn(d.events(), type, transform),
                    d.properties(),
                    d.traits(),
                    set(d.groupTraits(), key, rule));
        } else {
            Events events = path.startsWith("traits.") ? switchOn(d.events(), type, transform) : d.events();
            changed = copy(d, events, d.properties(), set(d.traits(), key, rule), d.groupTraits());
        }
        return replace(policy, changed);
    }

    /** {@code policy} with a track event allowed (with no properties of its own) or no longer allowed. */
    public static Policy setEventAllowed(Policy policy, String destinationId, EventKey event, boolean allowed) {
        DestinationPolicy d = destination(policy, destinationId);
        EventType type = EventType.fromWire(event.type()).orElse(EventType.TRACK);
        Events e = d.events();
        Events next;
        if (type == EventType.TRACK) {
            List<AllowedEvent> allow = new ArrayList<>(e.allow());
            boolean present = allow.stream().anyMatch(a -> a.name().equals(event.name()));
            if (allowed && !present) {
                allow.add(new AllowedEvent(event.name(), null, Map.of()));
            } else if (!allowed) {
                allow.removeIf(a -> a.name().equals(event.name()));
            }
            next = new Events(e.pages(), e.identify(), e.group(), e.alias(), allow);
        } else {
            next = new Events(
                    type == EventType.PAGE || type == EventType.SCREEN ? allowed : e.pages(),
                    type == EventType.IDENTIFY ? allowed : e.identify(),
                    type == EventType.GROUP ? allowed : e.group(),
                    type == EventType.ALIAS ? allowed : e.alias(),
                    e.allow());
        }
        return replace(policy, copy(d, next, d.properties(), d.traits(), d.groupTraits()));
    }

    private static DestinationPolicy trackProperty(DestinationPolicy d, String eventName, String key, FieldRule rule) {
        List<AllowedEvent> allow = new ArrayList<>(d.events().allow());
        int at = -1;
        for (int i = 0; i < allow.size(); i++) {
            if (allow.get(i).name().equals(eventName)) {
                at = i;
                break;
            }
        }
        boolean block = rule.transform() == Transform.DROP;
        if (at < 0) {
            if (block) {
                return d; // the event does not flow: nothing of it does
            }
            allow.add(new AllowedEvent(eventName, null, Map.of(key, rule)));
        } else {
            AllowedEvent a = allow.get(at);
            Map<String, FieldRule> own;
            if (block) {
                FieldRule wide = d.properties().get(key);
                own = wide != null && wide.transform() != Transform.DROP
                        ? put(a.properties(), key, rule) // override the destination-wide rule for this event
                        : remove(a.properties(), key);
            } else {
                own = put(a.properties(), key, rule);
            }
            allow.set(at, new AllowedEvent(a.name(), a.as(), own));
        }
        Events e = d.events();
        return copy(
                d,
                new Events(e.pages(), e.identify(), e.group(), e.alias(), allow),
                d.properties(),
                d.traits(),
                d.groupTraits());
    }

    /** Allowing a field of a call type whose switch is off turns the switch on; blocking leaves it. */
    private static Events switchOn(Events e, EventType type, Transform transform) {
        if (transform == Transform.DROP) {
            return e;
        }
        return new Events(
                e.pages() || type == EventType.PAGE || type == EventType.SCREEN,
                e.identify() || type == EventType.IDENTIFY,
                e.group() || type == EventType.GROUP,
                e.alias(),
                e.allow());
    }

    /** Sets a rule; {@code drop} removes it (unlisted keys are dropped anyway). */
    private static Map<String, FieldRule> set(Map<String, FieldRule> rules, String key, FieldRule rule) {
        return rule.transform() == Transform.DROP ? remove(rules, key) : put(rules, key, rule);
    }

    private static Map<String, FieldRule> put(Map<String, FieldRule> rules, String key, FieldRule rule) {
        Map<String, FieldRule> out = new LinkedHashMap<>(rules);
        out.put(key, rule);
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, FieldRule> remove(Map<String, FieldRule> rules, String key) {
        Map<String, FieldRule> out = new LinkedHashMap<>(rules);
        out.remove(key);
        return Collections.unmodifiableMap(out);
    }

    private static DestinationPolicy destination(Policy policy, String id) {
        return policy.destination(id).orElseThrow(() -> new IllegalArgumentException("no destination " + id));
    }

    private static DestinationPolicy copy(
            DestinationPolicy d,
            Events events,
            Map<String, FieldRule> properties,
            Map<String, FieldRule> traits,
            Map<String, FieldRule> groupTraits) {
        return new DestinationPolicy(
                d.id(),
                d.type(),
                d.name(),
                d.enabled(),
                d.baa(),
                d.consent(),
                d.settings(),
                d.identity(),
                d.context(),
                events,
                properties,
                traits,
                groupTraits,
                d.eventId());
    }

    private static Policy replace(Policy policy, DestinationPolicy changed) {
        List<DestinationPolicy> all = new ArrayList<>(policy.destinations());
        all.replaceAll(d -> d.id().equals(changed.id()) ? changed : d);
        return new Policy(policy.version(), policy.privacy(), policy.sources(), all);
    }
}

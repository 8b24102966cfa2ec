package dev.veil.core.policy;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One destination's rules (spec: {@code destinations[]}). Maps keep YAML order (they are copied into
 * unmodifiable {@link java.util.LinkedHashMap}s by the parser). Immutable.
 *
 * @param id stable id, used in masking ({@code veil/mask/v{n}/{id}})
 * @param type connector type, e.g. {@code ga4}
 * @param name human name
 * @param enabled whether events flow at all
 * @param baa whether a BAA is signed: unlocks {@code pass} for ids, ip, pageUrl, referrer
 * @param consent categories that must all be granted
 * @param settings connector settings
 * @param identity id handling
 * @param context context field handling
 * @param events which calls and events flow
 * @param properties properties allowed on every allowed event
 * @param traits user traits allowed (identify calls and {@code context.traits})
 * @param groupTraits traits allowed on group calls
 * @param eventId what the destination receives as the event's id (its dedup key)
 */
public record DestinationPolicy(
        String id,
        String type,
        String name,
        boolean enabled,
        boolean baa,
        List<String> consent,
        Map<String, SettingValue> settings,
        Identity identity,
        Context context,
        Events events,
        Map<String, FieldRule> properties,
        Map<String, FieldRule> traits,
        Map<String, FieldRule> groupTraits,
        EventIdMode eventId) {

    public DestinationPolicy {
        consent = List.copyOf(consent);
        java.util.Objects.requireNonNull(eventId, "eventId");
    }

    /** A destination with the default {@link EventIdMode#DERIVE} event ids. */
    public DestinationPolicy(
            String id,
            String type,
            String name,
            boolean enabled,
            boolean baa,
            List<String> consent,
            Map<String, SettingValue> settings,
            Identity identity,
            Context context,
            Events events,
            Map<String, FieldRule> properties,
            Map<String, FieldRule> traits,
            Map<String, FieldRule> groupTraits) {
        this(
                id,
                type,
                name,
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
                EventIdMode.DERIVE);
    }

    /** This destination with another event id mode. */
    public DestinationPolicy withEventId(EventIdMode mode) {
        return new DestinationPolicy(
                id,
                type,
                name,
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
                mode);
    }

    /**
     * What a destination receives as the event's id ({@code SafeEvent.messageId}, the vendors' dedup key).
     *
     * <ul>
     *   <li>{@link #DERIVE} (default): a keyed hash of the source and the caller's message id, per destination
     *       (32 lowercase hex characters), stable across retries and replays; the caller's id never leaves.
     *   <li>{@link #PASS_OPAQUE}: the caller's event id ({@code context.eventId}, else the {@code messageId}) when
     *       it is an opaque random token, so a browser pixel and the server can deduplicate the same event; any
     *       other id falls back to the derived one.
     * </ul>
     */
    public enum EventIdMode {
        DERIVE,
        PASS_OPAQUE
    }

    public enum IdAction {
        MASK,
        DROP,
        PASS
    }

    public record Identity(IdAction userId, IdAction anonymousId, IdAction groupId, IdAction previousId) {
        public static final Identity DEFAULTS =
                new Identity(IdAction.MASK, IdAction.MASK, IdAction.MASK, IdAction.MASK);
    }

    public enum IpAction {
        DROP,
        GEO,
        PASS
    }

    public enum UserAgentAction {
        DROP,
        GENERALIZE,
        PASS
    }

    public enum UrlAction {
        DROP,
        SANITIZE,
        PASS
    }

    /** For fields that are either dropped or passed. */
    public enum Toggle {
        DROP,
        PASS
    }

    /** The click ids Veil knows (spec: {@code clickIds}). */
    public static final List<String> KNOWN_CLICK_IDS = List.of(
            "gclid",
            "gbraid",
            "wbraid",
            "fbclid",
            "fbc",
            "fbp",
            "ttclid",
            "msclkid",
            "li_fat_id",
            "sccid",
            "epik",
            "rdt_cid");

    public record Context(
            IpAction ip,
            UserAgentAction userAgent,
            UrlAction pageUrl,
            UrlAction referrer,
            Toggle pageTitle,
            Toggle campaign,
            Toggle session,
            Toggle device,
            List<String> clickIds) {
        public static final Context DEFAULTS = new Context(
                IpAction.DROP,
                UserAgentAction.DROP,
                UrlAction.DROP,
                UrlAction.DROP,
                Toggle.DROP,
                Toggle.DROP,
                Toggle.DROP,
                Toggle.DROP,
                List.of());

        public Context {
            clickIds = List.copyOf(clickIds);
        }
    }

    /**
     * @param pages forward page/screen calls
     * @param identify forward identify calls (allowed traits only)
     * @param group forward group calls (allowed group traits only)
     * @param alias forward alias calls
     * @param allow allowed track events
     */
    public record Events(boolean pages, boolean identify, boolean group, boolean alias, List<AllowedEvent> allow) {
        public static final Events NONE = new Events(false, false, false, false, List.of());

        public Events {
            allow = List.copyOf(allow);
        }
    }

    /**
     * @param name the Segment event name (exact match)
     * @param as the destination's event name, or null to keep {@code name}
     * @param properties properties allowed on this event (in addition to the destination-wide ones)
     */
    public record AllowedEvent(String name, @Nullable String as, Map<String, FieldRule> properties) {}
}

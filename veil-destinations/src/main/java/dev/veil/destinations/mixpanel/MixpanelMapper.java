package dev.veil.destinations.mixpanel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.internal.Hashing;
import dev.veil.destinations.internal.Json;
import dev.veil.destinations.internal.Mapped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps one safe event to a Mixpanel import event (track, page, screen) or profile update (identify). Mixpanel is
 * Segment-native, so track names are kept as they are. Never sends {@code ip}: Mixpanel would geolocate it; coarse
 * location goes in {@code mp_country_code} and {@code $region} (as Mixpanel spells regions) instead, and requests carry
 * {@code ip=0} so that Mixpanel never fills a missing location in from the sender, Veil's server.
 *
 * <p>Identity follows Mixpanel's Simplified ID Merge: {@code $user_id} and {@code $device_id} carry the masked ids,
 * and {@code distinct_id} is the user id, else {@code $device:<anonymous id>}, so events from before a login join the
 * user once an event carries both ids.
 */
final class MixpanelMapper {

    static final Instant EARLIEST = Instant.parse("1971-01-01T00:00:00Z");
    static final Duration MAX_FUTURE = Duration.ofHours(1);
    static final int MAX_PROPERTIES = 254;
    static final int MAX_DEPTH = 3;
    static final int MAX_ARRAY = 254;
    static final Set<String> PLACEHOLDERS = Set.of(
            "00000000-0000-0000-0000-000000000000",
            "anon",
            "anonymous",
            "nil",
            "none",
            "null",
            "n/a",
            "na",
            "undefined",
            "unknown",
            "<nil>",
            "0",
            "-1",
            "true",
            "false",
            "[]",
            "{}");
    /** Properties Veil sets itself, or must never send. */
    /** Simplified ID Merge: the distinct_id of an anonymous event is {@code $device:} + its device id. */
    static final String DEVICE_PREFIX = "$device:";

    private static final Set<String> RESERVED = Set.of(
            "ip",
            "time",
            "distinct_id",
            "$insert_id",
            "token",
            "$user_id",
            "$device_id",
            "$city",
            "$region",
            "mp_country_code",
            "$latitude",
            "$longitude");

    private static final Map<String, String> CAMPAIGN = Map.of(
            "source",
            "utm_source",
            "medium",
            "utm_medium",
            "name",
            "utm_campaign",
            "term",
            "utm_term",
            "content",
            "utm_content",
            "id",
            "utm_id");

    private final Clock clock;

    MixpanelMapper(Clock clock) {
        this.clock = clock;
    }

    static String eventName(SafeEvent e) {
        return switch (e.type()) {
            case PAGE -> "Loaded a Page";
            case SCREEN -> "Loaded a Screen";
            case TRACK -> e.name() == null ? "" : e.name();
            default -> "";
        };
    }

    /** A profile update for {@code /engage}: {@code $set} with the allowed traits and the coarse location. */
    Mapped profile(SafeEvent e, String token) {
        if (e.userId() == null) {
            // Mixpanel: "Avoid creating profiles for anonymous users" (Identifying Users (Simplified), best practices).
            return new Mapped.Skipped("identify_anonymous_not_sent");
        }
        if (token.isEmpty()) {
            return new Mapped.Skipped("identify_needs_project_token");
        }
        if (PLACEHOLDERS.contains(e.userId().toLowerCase(java.util.Locale.ROOT))) {
            return new Mapped.Invalid("$distinct_id: a placeholder value Mixpanel rejects");
        }
        ObjectNode set = Json.object();
        for (var entry : new TreeMap<>(e.traits()).entrySet()) {
            if (!entry.getKey().startsWith("$")) {
                set.set(entry.getKey(), Json.node(entry.getValue()));
            }
        }
        SafeContext.Geo geo = e.context().geo();
        if (geo != null) {
            set.put("$country_code", geo.country());
            region(geo).ifPresent(r -> set.put("$region", r));
        }
        if (set.isEmpty()) {
            return new Mapped.Skipped("identify_no_traits");
        }
        ObjectNode update = Json.object();
        update.put("$token", token);
        update.put("$distinct_id", e.userId());
        // Profile geolocation would otherwise come from the request's address, i.e. Veil's server.
        update.put("$ip", "0");
        update.set("$set", set);
        return Mapped.ok(update);
    }

    Mapped map(SafeEvent e) {
        if (e.type() != EventType.TRACK && e.type() != EventType.PAGE && e.type() != EventType.SCREEN) {
            return Mapped.notSent(e.type());
        }
        String name = eventName(e);
        if (name.isBlank()) {
            return new Mapped.Invalid("event: required; the event has no name");
        }
        String id = e.userId() != null ? e.userId() : e.anonymousId();
        if (id == null) {
            return new Mapped.Invalid("properties.distinct_id: required; the event has neither userId nor anonymousId");
        }
        if (PLACEHOLDERS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
            return new Mapped.Invalid("properties.distinct_id: a placeholder value Mixpanel rejects");
        }
        String distinctId = e.userId() != null ? e.userId() : DEVICE_PREFIX + e.anonymousId();
        if (e.timestamp().isBefore(EARLIEST)) {
            return new Mapped.Invalid("properties.time: before 1971-01-01; Mixpanel rejects it");
        }
        if (e.timestamp().isAfter(clock.instant().plus(MAX_FUTURE))) {
            return new Mapped.Invalid("properties.time: more than 1 hour in the future; Mixpanel rejects it");
        }
        ObjectNode props = Json.object();
        props.put("time", e.timestamp().toEpochMilli());
        props.put("distinct_id", distinctId);
        props.put("$insert_id", Hashing.compactId(e.messageId()));
        Json.putIfPresent(props, "$user_id", e.userId());
        Json.putIfPresent(props, "$device_id", e.anonymousId());
        context(e.context(), props);
        for (var entry : new TreeMap<>(e.properties()).entrySet()) {
            if (RESERVED.contains(entry.getKey())) {
                continue;
            }
            String path = "properties." + entry.getKey();
            int depth = depth(entry.getValue());
            if (depth > MAX_DEPTH) {
                return new Mapped.Invalid(path + ": nested " + depth + " levels; Mixpanel allows " + MAX_DEPTH);
            }
            if (longestArray(entry.getValue()) > MAX_ARRAY) {
                return new Mapped.Invalid(path + ": an array has more than " + MAX_ARRAY + " elements");
            }
            if (widestObject(entry.getValue()) > MAX_PROPERTIES) {
                return new Mapped.Invalid(path + ": an object has more than " + MAX_PROPERTIES + " keys");
            }
            props.set(entry.getKey(), Json.node(entry.getValue()));
        }
        if (props.size() > MAX_PROPERTIES) {
            return new Mapped.Invalid("properties: " + props.size() + " properties; Mixpanel allows fewer than 255");
        }
        ObjectNode event = Json.object();
        event.put("event", name);
        event.set("properties", props);
        return Mapped.ok(event);
    }

    private static void context(SafeContext c, ObjectNode props) {
        if (c.geo() != null) {
            props.put("mp_country_code", c.geo().country());
            region(c.geo()).ifPresent(r -> props.put("$region", r));
        }
        if (c.userAgent() != null) {
            Json.putIfPresent(props, "$os", c.userAgent().os());
            Json.putIfPresent(props, "$browser", c.userAgent().browser());
            Json.putIfPresent(props, "$browser_version", c.userAgent().browserMajor());
            Json.putIfPresent(props, "$device_type", c.userAgent().deviceType());
        }
        if (c.device() != null) {
            String screen = c.device().screen();
            if (screen != null && screen.matches("\\d+x\\d+")) {
                String[] wh = screen.split("x");
                props.put("$screen_width", Integer.parseInt(wh[0]));
                props.put("$screen_height", Integer.parseInt(wh[1]));
            }
            Json.putIfPresent(props, "$locale", c.device().locale());
            Json.putIfPresent(props, "$timezone", c.device().timezone());
        }
        Json.putIfPresent(props, "$current_url", c.pageUrl());
        Json.putIfPresent(props, "$referrer", c.referrer());
        Json.putIfPresent(props, "current_page_title", c.pageTitle());
        new TreeMap<>(c.campaign()).forEach((k, v) -> {
            if (CAMPAIGN.containsKey(k)) {
                Json.putIfPresent(props, CAMPAIGN.get(k), v);
            }
        });
        new TreeMap<>(c.clickIds()).forEach((k, v) -> Json.putIfPresent(props, k, v));
        if (c.session() != null) {
            props.put("session_id", c.session().id());
        }
    }

    private static java.util.Optional<String> region(SafeContext.Geo geo) {
        return geo.region() == null ? java.util.Optional.empty() : MixpanelRegions.name(geo.country(), geo.region());
    }

    private static int depth(Object v) {
        if (v instanceof Map<?, ?> m) {
            return 1 + m.values().stream().mapToInt(MixpanelMapper::depth).max().orElse(0);
        }
        if (v instanceof Collection<?> c) {
            return 1 + c.stream().mapToInt(MixpanelMapper::depth).max().orElse(0);
        }
        return 0;
    }

    private static int widestObject(Object v) {
        if (v instanceof Map<?, ?> m) {
            return Math.max(
                    m.size(),
                    m.values().stream()
                            .mapToInt(MixpanelMapper::widestObject)
                            .max()
                            .orElse(0));
        }
        if (v instanceof Collection<?> c) {
            return c.stream().mapToInt(MixpanelMapper::widestObject).max().orElse(0);
        }
        return 0;
    }

    private static int longestArray(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m.values().stream()
                    .mapToInt(MixpanelMapper::longestArray)
                    .max()
                    .orElse(0);
        }
        if (v instanceof Collection<?> c) {
            return Math.max(
                    c.size(),
                    c.stream().mapToInt(MixpanelMapper::longestArray).max().orElse(0));
        }
        return 0;
    }
}

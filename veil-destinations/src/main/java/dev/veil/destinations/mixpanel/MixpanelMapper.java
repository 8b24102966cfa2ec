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
 * Maps one safe event to a Mixpanel import event. Mixpanel is Segment-native, so track names are kept as they
 * are. Never sends {@code ip}: Mixpanel would geolocate it; coarse location goes in {@code $region} and
 * {@code mp_country_code} instead.
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
    private static final Set<String> RESERVED =
            Set.of("ip", "time", "distinct_id", "$insert_id", "token", "$user_id", "$device_id");

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

    Mapped map(SafeEvent e) {
        if (e.type() != EventType.TRACK && e.type() != EventType.PAGE && e.type() != EventType.SCREEN) {
            return Mapped.notSent(e.type());
        }
        String name = eventName(e);
        if (name.isBlank()) {
            return new Mapped.Invalid("event: required; the event has no name");
        }
        String distinctId = e.userId() != null ? e.userId() : e.anonymousId();
        if (distinctId == null) {
            return new Mapped.Invalid("properties.distinct_id: required; the event has neither userId nor anonymousId");
        }
        if (PLACEHOLDERS.contains(distinctId.toLowerCase(java.util.Locale.ROOT))) {
            return new Mapped.Invalid("properties.distinct_id: a placeholder value Mixpanel rejects");
        }
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
            Json.putIfPresent(props, "$region", c.geo().region());
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

    private static int depth(Object v) {
        if (v instanceof Map<?, ?> m) {
            return 1 + m.values().stream().mapToInt(MixpanelMapper::depth).max().orElse(0);
        }
        if (v instanceof Collection<?> c) {
            return 1 + c.stream().mapToInt(MixpanelMapper::depth).max().orElse(0);
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

package dev.veil.destinations.amplitude;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.internal.Commerce;
import dev.veil.destinations.internal.Hashing;
import dev.veil.destinations.internal.Json;
import dev.veil.destinations.internal.Mapped;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Maps one safe event to an Amplitude HTTP V2 event: masked ids as user_id/device_id, the message id as insert_id,
 * coarse location and device fields explicitly, and never {@code ip} (Amplitude's {@code $remote} would use Veil's
 * own address, and a real IP is never Amplitude's to have).
 */
final class AmplitudeMapper {

    static final int MAX_STRING = 1024;
    static final Set<String> RESERVED = Set.of(
            "[Amplitude] Start Session",
            "[Amplitude] End Session",
            "[Amplitude] Revenue",
            "[Amplitude] Revenue (Verified)",
            "[Amplitude] Revenue (Unverified)",
            "[Amplitude] Merged User");
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

    private final int minIdLength;

    AmplitudeMapper(int minIdLength) {
        this.minIdLength = minIdLength;
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
            return new Mapped.Invalid("event_type: required; the event has no name");
        }
        if (RESERVED.contains(name)) {
            return new Mapped.Invalid("event_type: reserved by Amplitude; rename it with 'as:' in the policy");
        }
        if (name.length() > MAX_STRING) {
            return new Mapped.Invalid("event_type: " + name.length() + " characters; Amplitude allows " + MAX_STRING);
        }
        String userId = usable(e.userId());
        String deviceId = usable(e.anonymousId());
        if (userId == null && deviceId == null) {
            return new Mapped.Invalid("user_id: a user_id or device_id of at least " + minIdLength
                    + " characters is required; the event has none");
        }
        ObjectNode event = Json.object();
        event.put("event_type", name);
        Json.putIfPresent(event, "user_id", userId);
        Json.putIfPresent(event, "device_id", deviceId);
        event.put("time", e.timestamp().toEpochMilli());
        event.put("insert_id", e.messageId().length() <= 128 ? e.messageId() : Hashing.compactId(e.messageId()));
        SafeContext c = e.context();
        event.put("session_id", c.session() == null ? -1 : c.session().id());
        event.put("platform", "Web");
        if (c.geo() != null) {
            event.put("country", c.geo().country());
            Json.putIfPresent(event, "region", c.geo().region());
        }
        if (c.userAgent() != null) {
            Json.putIfPresent(event, "os_name", c.userAgent().os());
            Json.putIfPresent(event, "device_type", c.userAgent().deviceType());
        }
        if (c.device() != null) {
            Json.putIfPresent(event, "language", c.device().locale());
        }
        Map<String, Object> props = e.properties();
        Commerce.value(props).ifPresent(v -> event.put("revenue", v));
        ObjectNode eventProps = Json.object();
        text(eventProps, "page_url", c.pageUrl());
        text(eventProps, "page_referrer", c.referrer());
        text(eventProps, "page_title", c.pageTitle());
        new TreeMap<>(c.campaign()).forEach((k, v) -> {
            if (CAMPAIGN.containsKey(k)) {
                text(eventProps, CAMPAIGN.get(k), v);
            }
        });
        new TreeMap<>(c.clickIds()).forEach((k, v) -> text(eventProps, k, v));
        new TreeMap<>(props).forEach((k, v) -> put(eventProps, k, v));
        if (!eventProps.isEmpty()) {
            event.set("event_properties", eventProps);
        }
        ObjectNode userProps = Json.object();
        new TreeMap<>(e.traits()).forEach((k, v) -> put(userProps, k, v));
        if (!userProps.isEmpty()) {
            event.set("user_properties", userProps);
        }
        return Mapped.ok(event);
    }

    private @Nullable String usable(@Nullable String id) {
        return id != null && id.length() >= minIdLength && id.length() <= MAX_STRING ? id : null;
    }

    /** Long strings are truncated to Amplitude's 1024 characters (it would cut them itself). */
    private static void put(ObjectNode target, String key, Object value) {
        if (value instanceof String s) {
            text(target, key, s);
        } else {
            target.set(key, Json.node(value));
        }
    }

    private static void text(ObjectNode target, String key, @Nullable String value) {
        if (value != null && !value.isEmpty()) {
            target.put(key, value.length() > MAX_STRING ? value.substring(0, MAX_STRING) : value);
        }
    }
}

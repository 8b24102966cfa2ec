package dev.veil.destinations.amplitude;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.internal.Commerce;
import dev.veil.destinations.internal.Hashing;
import dev.veil.destinations.internal.Json;
import dev.veil.destinations.internal.Mapped;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Maps one safe event to an Amplitude HTTP V2 event: masked ids as user_id/device_id, the message id as insert_id,
 * coarse location and device fields explicitly, and never {@code ip} (Amplitude's {@code $remote} would use Veil's
 * own address, and a real IP is never Amplitude's to have). Identify calls become {@code $identify} events whose
 * {@code user_properties} {@code $set} the allowed traits, as Amplitude's SDKs send them.
 *
 * <p>Revenue: Amplitude counts every event carrying {@code revenue} in its revenue charts, so the field is set from
 * the {@code revenue} property only (never {@code value} or {@code total}), and only on events that move money: Order
 * Completed, Order Refunded (negative) and events outside Segment's e-commerce spec. Segment's Checkout Started and
 * Order Updated carry the order's revenue too; counting them would count an order twice.
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

    /** Segment's e-commerce v2 events that carry an order's amounts without being the sale (or the refund) itself. */
    static final Set<String> NOT_A_SALE = Set.of(
            "Products Searched",
            "Product List Viewed",
            "Product List Filtered",
            "Promotion Viewed",
            "Promotion Clicked",
            "Product Clicked",
            "Product Viewed",
            "Product Added",
            "Product Removed",
            "Cart Viewed",
            "Checkout Started",
            "Checkout Step Viewed",
            "Checkout Step Completed",
            "Payment Info Entered",
            "Order Updated",
            "Order Cancelled",
            "Coupon Entered",
            "Coupon Applied",
            "Coupon Denied",
            "Coupon Removed",
            "Product Added to Wishlist",
            "Product Removed from Wishlist",
            "Wishlist Product Added to Cart",
            "Product Shared",
            "Cart Shared",
            "Product Reviewed");

    static final String IDENTIFY = "$identify";

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

    /** An identify call as an {@code $identify} event that sets the allowed traits. */
    Mapped identify(SafeEvent e) {
        ObjectNode set = Json.object();
        new TreeMap<>(e.traits()).forEach((k, v) -> {
            if (!k.startsWith("$")) {
                put(set, k, v);
            }
        });
        if (set.isEmpty()) {
            return new Mapped.Skipped("identify_no_traits");
        }
        String userId = usable(e.userId());
        String deviceId = usable(e.anonymousId());
        if (userId == null && deviceId == null) {
            return new Mapped.Invalid("user_id: a user_id or device_id of at least " + minIdLength
                    + " characters is required; the event has none");
        }
        ObjectNode event = Json.object();
        event.put("event_type", IDENTIFY);
        Json.putIfPresent(event, "user_id", userId);
        Json.putIfPresent(event, "device_id", deviceId);
        event.put("time", e.timestamp().toEpochMilli());
        event.put("insert_id", e.messageId().length() <= 128 ? e.messageId() : Hashing.compactId(e.messageId()));
        context(e.context(), event);
        event.putObject("user_properties").set("$set", set);
        return Mapped.ok(event);
    }

    Mapped map(SafeEvent e) {
        if (e.type() == EventType.IDENTIFY) {
            return identify(e);
        }
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
        context(c, event);
        Map<String, Object> props = e.properties();
        revenue(name, props).ifPresent(v -> event.put("revenue", v));
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

    /**
     * Location and device as Amplitude's browser SDK reports a web page (amplitude/Amplitude-TypeScript,
     * {@code analytics-browser/src/plugins/context.ts}): {@code os_name}/{@code os_version} are the browser and its
     * version, {@code device_model} the operating system.
     */
    private static void context(SafeContext c, ObjectNode event) {
        event.put("platform", "Web");
        if (c.geo() != null) {
            event.put("country", c.geo().country());
            Json.putIfPresent(event, "region", c.geo().region());
        }
        if (c.userAgent() != null) {
            Json.putIfPresent(event, "os_name", c.userAgent().browser());
            Json.putIfPresent(event, "os_version", c.userAgent().browserMajor());
            Json.putIfPresent(event, "device_model", c.userAgent().os());
            Json.putIfPresent(event, "device_type", c.userAgent().deviceType());
        }
        if (c.device() != null) {
            Json.putIfPresent(event, "language", c.device().locale());
        }
    }

    /** The event's revenue as Amplitude should count it (see the class comment). */
    static java.util.Optional<BigDecimal> revenue(String name, Map<String, Object> props) {
        if (NOT_A_SALE.contains(name)) {
            return java.util.Optional.empty();
        }
        java.util.Optional<BigDecimal> revenue = Commerce.number(props.get("revenue"));
        if (name.equals("Order Refunded")) {
            // Segment's Order Refunded documents only `total`: the amount refunded.
            return revenue.or(() -> Commerce.number(props.get("total")))
                    .map(v -> v.abs().negate());
        }
        return revenue;
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

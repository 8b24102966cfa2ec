package dev.veil.destinations.ga4;

import static dev.veil.destinations.ga4.Ga4Names.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.internal.Commerce;
import dev.veil.destinations.internal.Json;
import dev.veil.destinations.internal.Mapped;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Maps one safe event to a GA4 Measurement Protocol event and its request envelope, enforcing GA4's limits: names
 * are sanitized, long text values truncated, long ids dropped, and what cannot be fixed (reserved names, too many
 * parameters, events older than 72 hours, no id at all) is refused with the field path and rule.
 */
final class Ga4Mapper {

    static final Duration MAX_AGE = Duration.ofHours(72);
    private static final Map<String, String> CAMPAIGN = Map.of(
            "source",
            "source",
            "medium",
            "medium",
            "name",
            "campaign",
            "term",
            "term",
            "content",
            "content",
            "id",
            "campaign_id");
    private static final Map<String, String> ITEM_KEYS = Map.of(
            "name",
            "item_name",
            "brand",
            "item_brand",
            "category",
            "item_category",
            "variant",
            "item_variant",
            "price",
            "price",
            "quantity",
            "quantity",
            "coupon",
            "coupon",
            "position",
            "index");

    private final int maxValue;
    private final Clock clock;

    Ga4Mapper(int maxValue, Clock clock) {
        this.maxValue = maxValue;
        this.clock = clock;
    }

    /** The GA4 event name, or empty when GA4 has no use for this call type. */
    static String eventName(SafeEvent e) {
        return switch (e.type()) {
            case PAGE -> "page_view";
            case SCREEN -> "screen_view";
            case TRACK -> {
                String name = e.name() == null ? "" : e.name();
                yield SEMANTIC.getOrDefault(name, sanitize(name));
            }
            default -> "";
        };
    }

    Mapped map(SafeEvent e) {
        if (e.type() != EventType.TRACK && e.type() != EventType.PAGE && e.type() != EventType.SCREEN) {
            return Mapped.notSent(e.type());
        }
        String name = eventName(e);
        if (name.isEmpty()) {
            return new Mapped.Invalid("name: required; the event has no name");
        }
        if (name.length() > MAX_NAME) {
            return new Mapped.Invalid("name: " + name.length() + " characters; GA4 allows " + MAX_NAME);
        }
        if (RESERVED_EVENTS.contains(name) || reservedPrefix(name)) {
            return new Mapped.Invalid("name: '" + name + "' is reserved by GA4; rename it with 'as:' in the policy");
        }
        Duration age = Duration.between(e.timestamp(), clock.instant());
        if (age.compareTo(MAX_AGE) > 0) {
            return new Mapped.Invalid(
                    "timestamp_micros: event is " + age.toHours() + " hours old; GA4 accepts at most 72");
        }
        String clientId = e.anonymousId() != null ? e.anonymousId() : e.userId();
        if (clientId == null) {
            return new Mapped.Invalid("client_id: required; the event has neither anonymousId nor userId");
        }
        ObjectNode params = Json.object();
        String problem = params(e, params);
        if (problem != null) {
            return new Mapped.Invalid(problem);
        }
        if (params.size() > MAX_PARAMS) {
            return new Mapped.Invalid("params: " + params.size() + " parameters; GA4 allows " + MAX_PARAMS);
        }
        ObjectNode event = Json.object();
        event.put("name", name);
        event.put("timestamp_micros", ChronoUnit.MICROS.between(java.time.Instant.EPOCH, e.timestamp()));
        if (!params.isEmpty()) {
            event.set("params", params);
        }
        ObjectNode envelope = Json.object();
        envelope.put("client_id", clientId);
        if (e.userId() != null && e.userId().length() <= 256) {
            envelope.put("user_id", e.userId());
        }
        String upProblem = userProperties(e, envelope);
        if (upProblem != null) {
            return new Mapped.Invalid(upProblem);
        }
        location(e.context(), envelope);
        device(e.context(), envelope);
        consent(e.context(), envelope);
        return new Mapped.Ok(event, envelope);
    }

    /** Fills {@code params}; returns why the event cannot be sent, or null. */
    private @Nullable String params(SafeEvent e, ObjectNode params) {
        SafeContext c = e.context();
        if (c.session() != null) {
            params.put("session_id", c.session().id());
            if (c.session().engagementTimeMs() != null) {
                params.put("engagement_time_msec", c.session().engagementTimeMs());
            }
        }
        text(params, "page_location", c.pageUrl());
        text(params, "page_referrer", c.referrer());
        text(params, "page_title", c.pageTitle());
        new TreeMap<>(c.campaign()).forEach((k, v) -> {
            String param = CAMPAIGN.get(k);
            if (param != null) {
                text(params, param, v);
            }
        });
        Map<String, Object> props = e.properties();
        Commerce.value(props).ifPresent(v -> params.put("value", v));
        Commerce.currency(props).ifPresent(v -> params.put("currency", v));
        Commerce.string(props, "order_id").ifPresent(v -> text(params, "transaction_id", v));
        Commerce.string(props, "query").ifPresent(v -> text(params, "search_term", v));
        ArrayNode items = items(props);
        if (!items.isEmpty()) {
            params.set("items", items);
        }
        for (var entry : new TreeMap<>(props).entrySet()) {
            if (Commerce.SEMANTIC_KEYS.contains(entry.getKey())) {
                continue;
            }
            String param = sanitize(entry.getKey());
            String path = "params." + entry.getKey();
            if (param.isEmpty() || param.length() > MAX_NAME) {
                return path + ": name cannot be made a valid GA4 parameter name (at most " + MAX_NAME
                        + " characters of [A-Za-z0-9_], starting with a letter)";
            }
            if (reservedPrefix(entry.getKey()) || reservedPrefix(param)) {
                return path + ": name has a prefix GA4 reserves (_, firebase_, ga_, google_, gtag.)";
            }
            scalar(params, param, entry.getValue());
        }
        return null;
    }

    private ArrayNode items(Map<String, Object> props) {
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (Map<String, Object> product : Commerce.products(props)) {
            ObjectNode item = Json.object();
            Commerce.productId(product).ifPresent(id -> text(item, "item_id", id));
            ITEM_KEYS.forEach((segment, ga4) -> {
                if (product.containsKey(segment)) {
                    scalar(item, ga4, product.get(segment));
                }
            });
            if (item.has("item_id") || item.has("item_name")) {
                items.add(item);
            }
        }
        return items;
    }

    /** Strings are truncated to GA4's limit, except ids, which are dropped; booleans become text; objects drop. */
    private void scalar(ObjectNode target, String param, Object value) {
        if (value instanceof String s) {
            text(target, param, s);
        } else if (value instanceof Number n) {
            target.set(param, Json.node(n));
        } else if (value instanceof Boolean b) {
            target.put(param, b.toString());
        }
    }

    private void text(ObjectNode target, String param, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        int limit = LONG_PARAMS.getOrDefault(param, maxValue);
        if (value.length() <= limit) {
            target.put(param, value);
        } else if (!idLike(param)) {
            target.put(param, value.substring(0, limit));
        }
    }

    private static @Nullable String userProperties(SafeEvent e, ObjectNode envelope) {
        ObjectNode ups = Json.object();
        for (var entry : new TreeMap<>(e.traits()).entrySet()) {
            String name = sanitize(entry.getKey());
            String path = "user_properties." + entry.getKey();
            if (name.isEmpty() || name.length() > MAX_USER_PROPERTY_NAME) {
                return path + ": name cannot be made a valid GA4 user property name (at most " + MAX_USER_PROPERTY_NAME
                        + " characters)";
            }
            if (RESERVED_USER_PROPERTIES.contains(name) || reservedPrefix(entry.getKey()) || reservedPrefix(name)) {
                return path + ": name is reserved by GA4";
            }
            Object v = entry.getValue();
            if (v instanceof String s && !s.isEmpty()) {
                ups.putObject(name)
                        .put(
                                "value",
                                s.length() > MAX_USER_PROPERTY_VALUE ? s.substring(0, MAX_USER_PROPERTY_VALUE) : s);
            } else if (v instanceof Number n) {
                ups.putObject(name).set("value", Json.node(n));
            } else if (v instanceof Boolean b) {
                ups.putObject(name).put("value", b.toString());
            }
        }
        if (ups.size() > MAX_USER_PROPERTIES) {
            return "user_properties: " + ups.size() + " properties; GA4 allows " + MAX_USER_PROPERTIES;
        }
        if (!ups.isEmpty()) {
            envelope.set("user_properties", ups);
        }
        return null;
    }

    private static void location(SafeContext c, ObjectNode envelope) {
        if (c.geo() == null || !c.geo().country().matches("[A-Z]{2}")) {
            return;
        }
        ObjectNode loc = envelope.putObject("user_location");
        loc.put("country_id", c.geo().country());
        if (c.geo().region() != null && c.geo().region().matches("[A-Z0-9]{1,3}")) {
            loc.put("region_id", c.geo().country() + "-" + c.geo().region());
        }
    }

    private static void device(SafeContext c, ObjectNode envelope) {
        ObjectNode d = Json.object();
        if (c.userAgent() != null) {
            String type = c.userAgent().deviceType();
            if (type != null && (type.equals("desktop") || type.equals("mobile") || type.equals("tablet"))) {
                d.put("category", type);
            }
            Json.putIfPresent(d, "operating_system", c.userAgent().os());
            Json.putIfPresent(d, "browser", c.userAgent().browser());
            Json.putIfPresent(d, "browser_version", c.userAgent().browserMajor());
        }
        if (c.device() != null) {
            Json.putIfPresent(d, "language", c.device().locale());
            if (c.device().screen() != null && c.device().screen().matches("\\d+x\\d+")) {
                d.put("screen_resolution", c.device().screen());
            }
        }
        if (!d.isEmpty()) {
            envelope.set("device", d);
        }
    }

    /** Segment's {@code advertising} category drives both of GA4's advertising consent signals. */
    private static void consent(SafeContext c, ObjectNode envelope) {
        Boolean ads = c.consent().get("advertising");
        if (ads != null) {
            String v = ads ? "GRANTED" : "DENIED";
            envelope.putObject("consent").put("ad_user_data", v).put("ad_personalization", v);
        }
    }
}

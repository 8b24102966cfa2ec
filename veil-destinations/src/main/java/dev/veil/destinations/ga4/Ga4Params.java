package dev.veil.destinations.ga4;

import static dev.veil.destinations.ga4.Ga4Names.*;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.internal.Commerce;
import dev.veil.destinations.internal.Json;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Builds the {@code params} of one GA4 event: session, page and campaign parameters, the recommended ecommerce
 * parameters of GA4's reference (developers.google.com/analytics/devguides/collection/protocol/ga4/reference/events)
 * read from Segment's ecommerce v2 properties, then the other allowed properties. Like GA4's default validation, a
 * parameter GA4 would refuse (reserved prefix, invalid name, beyond the 25th) is dropped and the event kept; each drop
 * is a repair. Not thread-safe: one per event.
 */
final class Ga4Params {

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
    /** Segment product fields → GA4 item parameters (recommended events, {@code items}). */
    private static final Map<String, String> ITEM_KEYS = Map.of(
            "name", "item_name",
            "brand", "item_brand",
            "category", "item_category",
            "variant", "item_variant",
            "price", "price",
            "quantity", "quantity",
            "coupon", "coupon",
            "position", "index");
    /** Segment properties → GA4 recommended parameters, where the names differ or the value is text. */
    private static final Map<String, String> RENAMED = Map.ofEntries(
            Map.entry("shipping", "shipping"),
            Map.entry("tax", "tax"),
            Map.entry("coupon", "coupon"),
            Map.entry("affiliation", "affiliation"),
            Map.entry("list_id", "item_list_id"),
            Map.entry("promotion_id", "promotion_id"),
            Map.entry("creative", "creative_name"),
            Map.entry("payment_method", "payment_type"),
            Map.entry("shipping_method", "shipping_tier"));

    private final int maxValue;
    private final String defaultCurrency;
    private final List<String> repairs;
    private final ObjectNode params = Json.object();
    private final Set<String> consumed = new HashSet<>(Commerce.SEMANTIC_KEYS);

    Ga4Params(int maxValue, String defaultCurrency, List<String> repairs) {
        this.maxValue = maxValue;
        this.defaultCurrency = defaultCurrency;
        this.repairs = repairs;
    }

    /** The parameters of {@code e} as GA4 event {@code name}; null with {@code problem} set when it cannot be sent. */
    @Nullable
    ObjectNode build(SafeEvent e, String name, StringBuilder problem) {
        session(e.context());
        page(e.context());
        if (e.type() == EventType.SCREEN && e.name() != null) {
            text("screen_name", e.name());
        }
        String reason = commerce(e, name);
        if (reason != null) {
            problem.append(reason);
            return null;
        }
        custom(e.properties());
        while (params.size() > MAX_PARAMS) {
            // Only the standard parameters can get here; drop from the end, as GA4 keeps the first 25.
            String last = "";
            for (var it = params.fieldNames(); it.hasNext(); ) {
                last = it.next();
            }
            params.remove(last);
            repairs.add("param_over_limit_dropped");
        }
        return params;
    }

    /**
     * Session parameters. GA4 shows a user in Realtime and counts the session only when the event carries {@code
     * session_id} and {@code engagement_time_msec} (sending-events: "engagement_time_msec and session_id … for user
     * activity to display in reports like Realtime"), so engagement is at least 1 ms whenever the session is allowed.
     */
    private void session(SafeContext c) {
        SafeContext.Session s = c.session();
        if (s == null) {
            return;
        }
        params.put("session_id", s.id());
        Long engaged = s.engagementTimeMs();
        params.put("engagement_time_msec", engaged == null ? 1 : Math.max(1, engaged));
        if (s.number() != null) {
            params.put("session_number", s.number());
        }
    }

    private void page(SafeContext c) {
        text("page_location", c.pageUrl());
        text("page_referrer", c.referrer());
        text("page_title", c.pageTitle());
        new TreeMap<>(c.campaign()).forEach((k, v) -> {
            String param = CAMPAIGN.get(k);
            if (param != null) {
                text(param, v);
            }
        });
    }

    /** Ecommerce parameters; returns why the event cannot be sent, or null. */
    private @Nullable String commerce(SafeEvent e, String name) {
        Map<String, Object> props = e.properties();
        boolean single = SINGLE_PRODUCT.contains(name);
        List<Map<String, Object>> products = Commerce.products(props, single);
        if (single && Commerce.products(props).isEmpty()) {
            consumed.addAll(Commerce.PRODUCT_KEYS);
        }
        ArrayNode items = items(products);
        Optional<BigDecimal> value = value(name, props, products);
        Optional<String> currency = Commerce.currency(props).or(() -> Commerce.isoCurrency(defaultCurrency));
        boolean money = name.equals("purchase") || name.equals("refund");
        if (value.isPresent() && currency.isEmpty()) {
            if (money) {
                return "params.currency: " + name + " has a value but no ISO 4217 currency (GA4 cannot count the"
                        + " revenue); allow the currency property or set the destination's defaultCurrency";
            }
            repairs.add("value_without_currency_dropped");
            value = Optional.empty();
        }
        value.ifPresent(v -> params.put("value", v));
        if (value.isPresent()) {
            currency.ifPresent(c -> params.put("currency", c));
        }
        if (money) {
            // GA4 deduplicates purchases on transaction_id (answer/12313109): always set one.
            text("transaction_id", Commerce.string(props, "order_id").orElse(e.messageId()));
        } else {
            Commerce.string(props, "order_id").ifPresent(v -> text("transaction_id", v));
        }
        Commerce.string(props, "query").ifPresent(v -> text("search_term", v));
        if (name.equals("sign_up") || name.equals("login")) {
            Commerce.string(props, "method")
                    .or(() -> Commerce.string(props, "type"))
                    .ifPresent(v -> text("method", v));
            consumed.add("method");
            consumed.add("type");
        }
        if (name.equals("view_item_list") || name.equals("select_item")) {
            Commerce.string(props, "category").ifPresent(v -> text("item_list_name", v));
            consumed.add("category");
        }
        if (name.equals("view_promotion") || name.equals("select_promotion")) {
            Commerce.string(props, "name").ifPresent(v -> text("promotion_name", v));
            Commerce.string(props, "position").ifPresent(v -> text("creative_slot", v));
            consumed.add("name");
            consumed.add("position");
        }
        RENAMED.forEach((segment, ga4) -> {
            if (props.containsKey(segment)) {
                scalar(params, ga4, props.get(segment));
                consumed.add(segment);
            }
        });
        if (!items.isEmpty()) {
            params.set("items", items);
        }
        return null;
    }

    /**
     * The event value: purchases and refunds use the order {@code total} (then {@code revenue}, {@code value}), as
     * Segment's GA4 destination does; single-product events their {@code value} or the product's price times quantity;
     * others {@code value}, {@code revenue} or {@code total}.
     */
    private static Optional<BigDecimal> value(
            String name, Map<String, Object> props, List<Map<String, Object>> products) {
        if (name.equals("purchase") || name.equals("refund")) {
            return Commerce.number(props.get("total"))
                    .or(() -> Commerce.number(props.get("revenue")))
                    .or(() -> Commerce.number(props.get("value")));
        }
        Optional<BigDecimal> v = Commerce.value(props);
        if (v.isEmpty() && SINGLE_PRODUCT.contains(name) && products.size() == 1) {
            return Commerce.lineTotal(products.get(0));
        }
        return v;
    }

    private ArrayNode items(List<Map<String, Object>> products) {
        ArrayNode items = Json.MAPPER.createArrayNode();
        for (Map<String, Object> product : products) {
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

    /** The other allowed properties, as custom parameters, within GA4's rules and its 25-parameter limit. */
    private void custom(Map<String, Object> props) {
        for (var entry : new TreeMap<>(props).entrySet()) {
            if (consumed.contains(entry.getKey()) || params.has(entry.getKey())) {
                continue;
            }
            String param = sanitize(entry.getKey());
            if (param.isEmpty() || param.length() > MAX_NAME) {
                repairs.add("param_name_invalid_dropped");
                continue;
            }
            if (reservedPrefix(entry.getKey()) || reservedPrefix(param)) {
                repairs.add("param_reserved_prefix_dropped");
                continue;
            }
            Object value = entry.getValue();
            if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                repairs.add("param_not_scalar_dropped");
                continue;
            }
            if (params.size() >= MAX_PARAMS) {
                repairs.add("param_over_limit_dropped");
                continue;
            }
            scalar(params, param, value);
        }
    }

    /** Strings are truncated to GA4's limit, except ids, which are dropped; booleans become text; objects drop. */
    private void scalar(ObjectNode target, String param, @Nullable Object value) {
        if (value instanceof String s) {
            text(target, param, s);
        } else if (value instanceof Number n) {
            target.set(param, Json.node(n));
        } else if (value instanceof Boolean b) {
            target.put(param, b.toString());
        }
    }

    private void text(String param, @Nullable String value) {
        text(params, param, value);
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
            repairs.add("value_truncated");
        } else {
            repairs.add("id_too_long_dropped");
        }
    }
}

package dev.veil.destinations.meta;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.internal.Commerce;
import dev.veil.destinations.internal.Json;
import dev.veil.destinations.internal.Mapped;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Maps one safe event to a Meta server event. Because one invalid event fails Meta's whole request, every rule Meta
 * checks is checked here first: event age (7 days), {@code user_data} with at least one key, and for website events
 * {@code event_source_url} and {@code client_user_agent}.
 */
final class MetaMapper {

    static final Duration MAX_AGE = Duration.ofDays(7);
    /**
     * The {@code _fbc}/{@code _fbp} cookie forms: {@code fb.<subdomainIndex>.<creationTime>.<payload>}, optionally
     * followed by the appendix Meta's parameter builder adds (one of its two-character tokens, or 8 characters). Source:
     * parameters/fbp-and-fbc and facebook/capi-param-builder ({@code cookieUnpack}). The fbp payload is a random number.
     */
    static final Pattern FBC =
            Pattern.compile("fb\\.[0-9]+\\.[0-9]+\\.[^.]+(\\.(AQ|Ag|Aw|BA|BQ|Bg|[A-Za-z0-9_-]{8}))?");

    static final Pattern FBP =
            Pattern.compile("fb\\.[0-9]+\\.[0-9]+\\.[0-9]+(\\.(AQ|Ag|Aw|BA|BQ|Bg|[A-Za-z0-9_-]{8}))?");
    static final Map<String, String> SEMANTIC = Map.ofEntries(
            Map.entry("Order Completed", "Purchase"),
            Map.entry("Signed Up", "CompleteRegistration"),
            Map.entry("Products Searched", "Search"),
            Map.entry("Product Viewed", "ViewContent"),
            Map.entry("Product List Viewed", "ViewContent"),
            Map.entry("Product Added", "AddToCart"),
            Map.entry("Product Added to Wishlist", "AddToWishlist"),
            Map.entry("Checkout Started", "InitiateCheckout"),
            Map.entry("Payment Info Entered", "AddPaymentInfo"),
            Map.entry("Lead Generated", "Lead"),
            Map.entry("Lead", "Lead"),
            Map.entry("Form Submitted", "Lead"));
    /** Meta's standard events about one product, whose fields Segment's spec puts at the top level. */
    static final Set<String> SINGLE_PRODUCT = Set.of("ViewContent", "AddToCart", "AddToWishlist");
    /**
     * Limited Data Use state codes (developers.facebook.com/documentation/meta-pixel/implementation/
     * data-processing-options): the states where LDU applies to Business Tools. Other US states: 0, Meta geolocates.
     */
    private static final Map<String, Integer> LDU_STATES = Map.of("CA", 1000, "CO", 1001, "CT", 1002);

    private final MetaSettings settings;
    private final Clock clock;

    MetaMapper(MetaSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    static String eventName(SafeEvent e) {
        return switch (e.type()) {
            case PAGE, SCREEN -> "PageView";
            case TRACK -> {
                String name = e.name() == null ? "" : e.name();
                yield SEMANTIC.getOrDefault(name, name);
            }
            default -> "";
        };
    }

    Mapped map(SafeEvent e) {
        if (e.type() != EventType.TRACK && e.type() != EventType.PAGE && e.type() != EventType.SCREEN) {
            return Mapped.notSent(e.type());
        }
        String name = eventName(e);
        if (name.isBlank()) {
            return new Mapped.Invalid("event_name: required; the event has no name");
        }
        Duration age = Duration.between(e.timestamp(), clock.instant());
        if (age.compareTo(MAX_AGE) > 0) {
            return new Mapped.Invalid("event_time: event is " + age.toDays()
                    + " days old; Meta refuses events older than 7 days (and the whole request with them)");
        }
        if (age.isNegative() && age.abs().compareTo(Duration.ofMinutes(10)) > 0) {
            return new Mapped.Invalid("event_time: event is in the future; Meta refuses it");
        }
        SafeContext c = e.context();
        ObjectNode userData = userData(e);
        if (userData.isEmpty()) {
            return new Mapped.Invalid("user_data: needs at least one parameter; the event has no id, click id or"
                    + " user agent this destination may receive");
        }
        boolean website = settings.actionSource().equals("website");
        if (website && c.pageUrl() == null) {
            return new Mapped.Invalid("event_source_url: required for action_source website; allow"
                    + " context.pageUrl in the policy, or set actionSource");
        }
        if (website && c.rawUserAgent() == null) {
            return new Mapped.Invalid("user_data.client_user_agent: required for action_source website; allow"
                    + " context.userAgent: pass in the policy, or set actionSource");
        }
        ObjectNode event = Json.object();
        event.put("event_name", name);
        event.put("event_time", e.timestamp().getEpochSecond());
        event.put("event_id", e.messageId());
        event.put("action_source", settings.actionSource());
        Json.putIfPresent(event, "event_source_url", c.pageUrl());
        event.set("user_data", userData);
        List<String> repairs = new ArrayList<>();
        ObjectNode custom = customData(name, e.properties(), repairs);
        if (name.equals("Purchase")) {
            // Meta requires value and currency for Purchase (parameters/custom-data); without them it fails the
            // whole request, so the event is refused here with the way out.
            if (!custom.has("value")) {
                return new Mapped.Invalid("custom_data.value: Purchase needs a value (revenue, value or total)");
            }
            if (!custom.has("currency")) {
                return new Mapped.Invalid("custom_data.currency: Purchase needs an ISO 4217 currency; allow the"
                        + " currency property or set the destination's defaultCurrency");
            }
        }
        if (!custom.isEmpty()) {
            event.set("custom_data", custom);
        }
        if (settings.limitedDataUse()) {
            limitedDataUse(c.geo(), event);
        }
        return new Mapped.Ok(event, null, repairs);
    }

    private static ObjectNode userData(SafeEvent e) {
        ObjectNode u = Json.object();
        ArrayNode external = Json.MAPPER.createArrayNode();
        if (e.userId() != null) {
            external.add(e.userId());
        }
        if (e.anonymousId() != null) {
            external.add(e.anonymousId());
        }
        if (!external.isEmpty()) {
            u.set("external_id", external);
        }
        SafeContext c = e.context();
        String fbc = c.clickIds().get("fbc");
        if (fbc != null && FBC.matcher(fbc).matches()) {
            u.put("fbc", fbc);
        }
        String fbp = c.clickIds().get("fbp");
        if (fbp != null && FBP.matcher(fbp).matches()) {
            u.put("fbp", fbp);
        }
        Json.putIfPresent(u, "client_user_agent", c.rawUserAgent());
        // Only present when the policy passes the IP, which it allows for BAA destinations alone.
        Json.putIfPresent(u, "client_ip_address", c.ip());
        return u;
    }

    /**
     * Limited Data Use with the visitor's location from Veil's geo (country 1 = USA and the state code Meta lists),
     * so Meta need not geolocate: without the visitor's IP it could only geolocate the server that sent the event.
     * Without geo (or outside the US), 0/0 asks Meta to geolocate, as its documentation allows.
     */
    private static void limitedDataUse(SafeContext.@Nullable Geo geo, ObjectNode event) {
        event.putArray("data_processing_options").add("LDU");
        boolean us = geo != null && geo.country().equals("US");
        event.put("data_processing_options_country", us ? 1 : 0);
        Integer state = us && geo.region() != null ? LDU_STATES.get(geo.region()) : null;
        event.put("data_processing_options_state", state == null ? 0 : state);
    }

    private ObjectNode customData(String name, Map<String, Object> props, List<String> repairs) {
        ObjectNode d = Json.object();
        boolean single = SINGLE_PRODUCT.contains(name);
        List<Map<String, Object>> products = Commerce.products(props, single);
        Set<String> consumed = new HashSet<>(Commerce.SEMANTIC_KEYS);
        if (single && Commerce.products(props).isEmpty()) {
            consumed.addAll(Commerce.PRODUCT_KEYS);
        }
        Optional<BigDecimal> value = Commerce.value(props)
                .or(() -> single && products.size() == 1 ? Commerce.lineTotal(products.get(0)) : Optional.empty());
        value.ifPresent(v -> d.put("value", v));
        Optional<String> currency = Commerce.currency(props);
        if (currency.isEmpty() && props.containsKey("currency")) {
            repairs.add("currency_not_iso4217_dropped");
        }
        currency.or(() -> value.isPresent() ? Commerce.isoCurrency(settings.defaultCurrency()) : Optional.empty())
                .ifPresent(v -> d.put("currency", v));
        Commerce.string(props, "order_id").ifPresent(v -> d.put("order_id", v));
        Commerce.string(props, "query").ifPresent(v -> d.put("search_string", v));
        if (!products.isEmpty()) {
            // Meta's catalog events take the products as content_ids and contents (parameters/custom-data).
            ArrayNode ids = d.putArray("content_ids");
            ArrayNode contents = d.putArray("contents");
            int items = 0;
            for (Map<String, Object> p : products) {
                var id = Commerce.productId(p);
                if (id.isEmpty()) {
                    continue;
                }
                ids.add(id.get());
                ObjectNode content = contents.addObject().put("id", id.get());
                int qty = Commerce.number(p.get("quantity"))
                        .map(BigDecimal::intValue)
                        .orElse(1);
                content.put("quantity", qty);
                Commerce.number(p.get("price")).ifPresent(v -> content.put("item_price", v));
                items += qty;
            }
            d.put("content_type", "product");
            d.put("num_items", items);
        }
        for (var entry : new TreeMap<>(props).entrySet()) {
            if (!consumed.contains(entry.getKey()) && !d.has(entry.getKey())) {
                d.set(entry.getKey(), Json.node(entry.getValue()));
            }
        }
        return d;
    }
}

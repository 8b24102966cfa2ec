package dev.veil.destinations.tiktok;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.destinations.internal.Commerce;
import dev.veil.destinations.internal.Hashing;
import dev.veil.destinations.internal.Json;
import dev.veil.destinations.internal.Mapped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps one safe event to a TikTok web event. TikTok requires {@code external_id} as a SHA-256 hex digest, so the
 * masked id (already a keyed hash) is digested once more: still deterministic, still not reversible.
 */
final class TiktokMapper {

    /**
     * Segment's semantic events in TikTok's standard event names, as Segment's own TikTok Conversions destination
     * maps them (segmentio/action-destinations tiktok-conversions presets).
     */
    static final Map<String, String> SEMANTIC = Map.ofEntries(
            Map.entry("Order Completed", "CompletePayment"),
            Map.entry("Order Placed", "PlaceAnOrder"),
            Map.entry("Product Clicked", "ClickButton"),
            Map.entry("Callback Started", "Contact"),
            Map.entry("Subscription Created", "Subscribe"),
            Map.entry("Download Link Clicked", "Download"),
            Map.entry("Signed Up", "CompleteRegistration"),
            Map.entry("Products Searched", "Search"),
            Map.entry("Product Viewed", "ViewContent"),
            Map.entry("Product Added", "AddToCart"),
            Map.entry("Product Added to Wishlist", "AddToWishlist"),
            Map.entry("Checkout Started", "InitiateCheckout"),
            Map.entry("Payment Info Entered", "AddPaymentInfo"),
            Map.entry("Lead Generated", "SubmitForm"),
            Map.entry("Lead", "SubmitForm"),
            Map.entry("Form Submitted", "SubmitForm"));

    /** TikTok's standard events about one product, whose fields Segment's spec puts at the top level. */
    static final Set<String> SINGLE_PRODUCT = Set.of("ViewContent", "ClickButton", "AddToCart", "AddToWishlist");

    private final boolean limitedDataUse;
    private final Duration maxAge;
    private final Clock clock;

    TiktokMapper(TiktokSettings settings, Clock clock) {
        this.limitedDataUse = settings.limitedDataUse();
        this.maxAge = Duration.ofDays(settings.maxEventAgeDays());
        this.clock = clock;
    }

    static String eventName(SafeEvent e) {
        return switch (e.type()) {
            case PAGE, SCREEN -> "Pageview";
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
            return new Mapped.Invalid("event: required; the event has no name");
        }
        if (name.length() > 50) {
            return new Mapped.Invalid("event: " + name.length() + " characters; TikTok allows 50");
        }
        Duration age = Duration.between(e.timestamp(), clock.instant());
        if (age.compareTo(maxAge) > 0) {
            return new Mapped.Invalid("event_time: event is " + age.toDays() + " days old; this destination sends"
                    + " events up to " + maxAge.toDays() + " days old");
        }
        if (age.isNegative() && age.abs().compareTo(Duration.ofMinutes(10)) > 0) {
            return new Mapped.Invalid("event_time: event is in the future");
        }
        SafeContext c = e.context();
        ObjectNode event = Json.object();
        event.put("event", name);
        event.put("event_time", e.timestamp().getEpochSecond());
        event.put("event_id", e.messageId());
        ObjectNode user = event.putObject("user");
        ArrayNode external = Json.MAPPER.createArrayNode();
        if (e.userId() != null) {
            external.add(Hashing.sha256Hex(e.userId()));
        }
        if (e.anonymousId() != null) {
            external.add(Hashing.sha256Hex(e.anonymousId()));
        }
        if (!external.isEmpty()) {
            user.set("external_id", external);
        }
        // TikTok documents no format for ttclid (Events API 2.0 user parameters; Segment and RudderStack pass it
        // as is); the privacy engine has already checked it is a click id token.
        Json.putIfPresent(user, "ttclid", c.clickIds().get("ttclid"));
        Json.putIfPresent(user, "ttp", c.clickIds().get("ttp"));
        Json.putIfPresent(user, "user_agent", c.rawUserAgent());
        // Only present when the policy passes the IP, which it allows for BAA destinations alone.
        Json.putIfPresent(user, "ip", c.ip());
        if (c.device() != null) {
            Json.putIfPresent(user, "locale", c.device().locale());
        }
        if (user.isEmpty()) {
            return new Mapped.Invalid("user: needs at least one matching key; the event has no id, click id or"
                    + " user agent this destination may receive");
        }
        ObjectNode page = Json.object();
        Json.putIfPresent(page, "url", c.pageUrl());
        Json.putIfPresent(page, "referrer", c.referrer());
        if (!page.isEmpty()) {
            event.set("page", page);
        }
        ObjectNode props = properties(name, e.properties());
        if (!props.isEmpty()) {
            event.set("properties", props);
        }
        if (limitedDataUse) {
            event.put("limited_data_use", true);
        }
        return Mapped.ok(event);
    }

    private static ObjectNode properties(String name, Map<String, Object> props) {
        ObjectNode p = Json.object();
        boolean single = SINGLE_PRODUCT.contains(name);
        List<Map<String, Object>> products = Commerce.products(props, single);
        Commerce.value(props)
                .or(() -> single && products.size() == 1 ? Commerce.lineTotal(products.get(0)) : Optional.empty())
                .ifPresent(v -> p.put("value", v));
        Commerce.currency(props).ifPresent(v -> p.put("currency", v));
        Commerce.string(props, "order_id").ifPresent(v -> p.put("order_id", v));
        // TikTok's Search event reads the searched text from search_string (Events API 2.0 properties;
        // RudderStack maps properties.query to it).
        Commerce.string(props, "query").ifPresent(v -> p.put("search_string", v));
        if (!products.isEmpty()) {
            ArrayNode contents = p.putArray("contents");
            for (Map<String, Object> product : products) {
                ObjectNode content = Json.object();
                Commerce.productId(product).ifPresent(id -> content.put("content_id", id));
                Commerce.string(product, "name").ifPresent(v -> content.put("content_name", v));
                Commerce.string(product, "category").ifPresent(v -> content.put("content_category", v));
                Commerce.number(product.get("quantity")).ifPresent(v -> content.put("quantity", v.intValue()));
                Commerce.number(product.get("price")).ifPresent(v -> content.put("price", v));
                if (!content.isEmpty()) {
                    contents.add(content);
                }
            }
            p.put("content_type", "product");
        }
        return p;
    }
}

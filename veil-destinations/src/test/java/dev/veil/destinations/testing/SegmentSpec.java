package dev.veil.destinations.testing;

import java.util.List;
import java.util.Map;

/**
 * Properties of Segment's semantic events exactly as Segment's specs document them (segment.com/docs/connections/
 * spec/ecommerce/v2 and …/spec/b2b-saas), for the per-vendor mapping tables. Values are the spec's own examples
 * where it gives them. Where a vendor requires a field the spec event does not carry, the test says so.
 */
public final class SegmentSpec {

    private SegmentSpec() {}

    private static final Map<String, Object> SOCKS = Map.of(
            "product_id", "507f1f77bcf86cd799439011",
            "sku", "G-32",
            "category", "Games",
            "name", "Monopoly: 3rd Edition",
            "brand", "Hasbro",
            "variant", "200 pieces",
            "price", 18.99,
            "quantity", 1,
            "position", 3);

    private static final Map<String, Object> CARDS = Map.of(
            "product_id", "505bd76785ebb509fc183733",
            "sku", "46493-32",
            "category", "Games",
            "name", "Uno Card Game",
            "price", 3,
            "quantity", 2,
            "position", 2);

    /** The spec's properties of {@code event}; an empty map for events the spec gives none. */
    public static Map<String, Object> properties(String event) {
        return switch (event) {
            case "Order Completed" ->
                Map.ofEntries(
                        Map.entry("checkout_id", "fksdjfsdjfisjf9sdfjsd9f"),
                        Map.entry("order_id", "50314b8e9bcf000000000000"),
                        Map.entry("affiliation", "Google Store"),
                        Map.entry("total", 27.5),
                        Map.entry("subtotal", 22.5),
                        Map.entry("revenue", 25.0),
                        Map.entry("shipping", 3),
                        Map.entry("tax", 2),
                        Map.entry("discount", 2.5),
                        Map.entry("coupon", "hasbros"),
                        Map.entry("currency", "USD"),
                        Map.entry("products", List.of(SOCKS, CARDS)));
            case "Order Refunded" ->
                Map.of(
                        "order_id",
                        "50314b8e9bcf000000000000",
                        "total",
                        30,
                        "currency",
                        "USD",
                        "products",
                        List.of(SOCKS));
            case "Signed Up" -> Map.of("type", "organic");
            case "Products Searched" -> Map.of("query", "blue roses");
            case "Product Viewed" -> withAll(SOCKS, Map.of("currency", "USD", "value", 18.99, "url", "https://x/p"));
            case "Product Clicked", "Product Added", "Product Removed" -> SOCKS;
            case "Product Added to Wishlist" -> withAll(SOCKS, Map.of("wishlist_id", "skdjsidjsdkdj29j"));
            case "Product List Viewed" ->
                Map.of("list_id", "hot_deals_1", "category", "Deals", "products", List.of(SOCKS, CARDS));
            case "Cart Viewed" -> Map.of("cart_id", "d92jd29jd92jd29j92d92jd", "products", List.of(SOCKS, CARDS));
            case "Checkout Started" ->
                Map.ofEntries(
                        Map.entry("order_id", "50314b8e9bcf000000000000"),
                        Map.entry("affiliation", "Google Store"),
                        Map.entry("value", 30),
                        Map.entry("revenue", 25),
                        Map.entry("shipping", 3),
                        Map.entry("tax", 2),
                        Map.entry("discount", 2.5),
                        Map.entry("coupon", "hasbros"),
                        Map.entry("currency", "USD"),
                        Map.entry("products", List.of(SOCKS, CARDS)));
            // The spec's Payment Info Entered has no products; GA4's add_payment_info requires items, so a site that
            // wants it counted must add them. The table sends them.
            case "Payment Info Entered" ->
                Map.of(
                        "checkout_id", "39f39fj39f3jf93fj9fj39fj3f",
                        "order_id", "dkfsjidfjsdifsdfksdjfkdsfjsdfkdsf",
                        "step", 2,
                        "shipping_method", "Fedex",
                        "payment_method", "Visa",
                        "products", List.of(SOCKS));
            case "Promotion Viewed", "Promotion Clicked" ->
                Map.of(
                        "promotion_id",
                        "promo_1",
                        "creative",
                        "top_banner_2",
                        "name",
                        "75% store-wide shoe sale",
                        "position",
                        "home_banner_top");
            case "Lead Generated" -> Map.of("value", 50, "currency", "USD");
            default -> Map.of();
        };
    }

    private static Map<String, Object> withAll(Map<String, Object> a, Map<String, Object> b) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(a);
        m.putAll(b);
        return Map.copyOf(m);
    }
}

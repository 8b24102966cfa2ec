package dev.veil.destinations.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads Segment's e-commerce property names (V2 spec) from an event's allowed properties, so every vendor maps
 * {@code revenue}/{@code value}/{@code total}, {@code currency}, {@code order_id}, {@code products} and {@code query}
 * the same way.
 */
public final class Commerce {

    /** Properties consumed by the semantic mapping (not copied again as custom parameters). */
    public static final Set<String> SEMANTIC_KEYS =
            Set.of("revenue", "value", "total", "currency", "order_id", "products", "query");

    private Commerce() {}

    /** {@code value}, else {@code revenue}, else {@code total}, as a number. */
    public static Optional<BigDecimal> value(Map<String, Object> props) {
        for (String key : List.of("value", "revenue", "total")) {
            Optional<BigDecimal> n = number(props.get(key));
            if (n.isPresent()) {
                return n;
            }
        }
        return Optional.empty();
    }

    /**
     * The {@code currency} property as an ISO 4217 code (upper-cased), when it is one: checked against the JDK's ISO
     * 4217 table ({@link java.util.Currency}), so {@code "ABC"} or {@code "usd "}-like typos of unknown codes are not
     * sent as currencies (Meta and GA4 refuse or misreport them).
     */
    public static Optional<String> currency(Map<String, Object> props) {
        if (props.get("currency") instanceof String s) {
            return isoCurrency(s);
        }
        return Optional.empty();
    }

    /** {@code code} trimmed and upper-cased when it is an ISO 4217 currency code. */
    public static Optional<String> isoCurrency(String code) {
        String c = code.trim().toUpperCase(java.util.Locale.ROOT);
        if (!c.matches("[A-Z]{3}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(java.util.Currency.getInstance(c).getCurrencyCode());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static Optional<String> string(Map<String, Object> props, String key) {
        Object v = props.get(key);
        if (v instanceof String s && !s.isBlank()) {
            return Optional.of(s);
        }
        if (v instanceof Number n) {
            return Optional.of(n.toString());
        }
        return Optional.empty();
    }

    /**
     * Segment's product fields (ecommerce v2 spec: Product Viewed, Product Added, …) that single-product events carry
     * at the top level of {@code properties}.
     */
    public static final Set<String> PRODUCT_KEYS = Set.of(
            "product_id",
            "sku",
            "id",
            "name",
            "brand",
            "category",
            "variant",
            "price",
            "quantity",
            "coupon",
            "position",
            "url",
            "image_url");

    /**
     * The event's products: the {@code products} array when it has any, else, for a single-product event, the
     * top-level product fields as one product (Segment's ecommerce v2 spec puts Product Viewed/Added/Removed/Clicked
     * fields at the top level), when they name a product.
     */
    public static List<Map<String, Object>> products(Map<String, Object> props, boolean singleProductEvent) {
        List<Map<String, Object>> list = products(props);
        if (!list.isEmpty() || !singleProductEvent) {
            return list;
        }
        Map<String, Object> product = new java.util.LinkedHashMap<>();
        for (String key : PRODUCT_KEYS) {
            if (props.containsKey(key)) {
                product.put(key, props.get(key));
            }
        }
        if (productId(product).isEmpty() && string(product, "name").isEmpty()) {
            return List.of();
        }
        return List.of(product);
    }

    /** A product's price times its quantity (1 when absent), when it has a price. */
    public static Optional<BigDecimal> lineTotal(Map<String, Object> product) {
        Optional<BigDecimal> price = number(product.get("price"));
        if (price.isEmpty()) {
            return Optional.empty();
        }
        BigDecimal quantity = number(product.get("quantity")).orElse(BigDecimal.ONE);
        return Optional.of(price.get().multiply(quantity));
    }

    /** The {@code products} array's objects (other entries skipped). */
    public static List<Map<String, Object>> products(Map<String, Object> props) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (props.get("products") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> product = (Map<String, Object>) m;
                    out.add(product);
                }
            }
        }
        return out;
    }

    /** A product's id: {@code product_id}, else {@code sku}, else {@code id}. */
    public static Optional<String> productId(Map<String, Object> product) {
        for (String key : List.of("product_id", "sku", "id")) {
            Optional<String> s = string(product, key);
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    public static Optional<BigDecimal> number(@Nullable Object v) {
        if (v instanceof Number n) {
            return Optional.of(new BigDecimal(n.toString()));
        }
        if (v instanceof String s) {
            try {
                return Optional.of(new BigDecimal(s.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}

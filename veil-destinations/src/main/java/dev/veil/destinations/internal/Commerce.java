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

    /** An ISO 4217 code (upper-cased), when the property holds three letters. */
    public static Optional<String> currency(Map<String, Object> props) {
        if (props.get("currency") instanceof String s && s.trim().matches("[A-Za-z]{3}")) {
            return Optional.of(s.trim().toUpperCase(java.util.Locale.ROOT));
        }
        return Optional.empty();
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

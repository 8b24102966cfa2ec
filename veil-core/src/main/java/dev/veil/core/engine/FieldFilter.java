package dev.veil.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.veil.core.policy.Transform;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Applies a {@link FieldTree} allowlist to a JSON object (properties, traits, group traits).
 *
 * <p>Objects and arrays never pass whole: an object passes only the children its tree names, an array passes
 * each element through the same tree node (scalars need a rule on that node, objects need child rules), and
 * whatever ends up empty is left out. So {@code product: pass} does not let {@code product.patient_name} through
 * when {@code product} is an object.
 */
final class FieldFilter {

    private final Masker masker;
    private final List<String> moneyFields;
    private final java.math.BigDecimal maxAmount;

    FieldFilter(Masker masker, dev.veil.core.policy.PrivacySettings.Money money) {
        this.masker = masker;
        this.moneyFields = money.fields();
        this.maxAmount = money.maximum();
    }

    /** The allowed part of {@code node} (an object, or anything else which yields nothing) under {@code tree}. */
    Map<String, Object> filter(@Nullable JsonNode node, FieldTree tree, String prefix, EvaluationState st) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> out = filterObject(node, tree, prefix, st);
        return out == null ? Map.of() : out;
    }

    /**
     * The allowed part of object {@code node}; {@code prefix} is its path (a {@link String} or a {@link FieldPath}).
     * Walks the listed keys and looks each up in the event; the event's other keys are recorded in the trace as
     * one deferred entry ({@link UnlistedKeys}) that becomes a "dropped, not allowlisted" entry per key when the
     * trace is read.
     */
    private @Nullable Map<String, Object> filterObject(
            JsonNode node, FieldTree tree, Object prefix, EvaluationState st) {
        Object[] kv = null;
        int n = 0;
        int listedPresent = 0;
        for (int i = 0, size = tree.size(); i < size; i++) {
            String key = tree.name(i);
            JsonNode value = node.get(key);
            if (value == null) {
                continue;
            }
            listedPresent++;
            if (st.advertisingDenied && isAdvertisingId(key)) {
                st.trace(FieldPath.allowed(prefix, key), "dropped", ContextFilter.ADVERTISING_DENIED);
                continue;
            }
            Object v = apply(value, tree.node(i), FieldPath.allowed(prefix, key), st);
            if (v != null) {
                if (kv == null) {
                    kv = new Object[2 * (size - i)];
                }
                kv[n++] = key;
                kv[n++] = v;
            }
        }
        if (node.size() > listedPresent) {
            st.trace(new UnlistedKeys(node, tree, prefix), "dropped", NOT_ALLOWLISTED);
        }
        return kv == null ? null : SmallMaps.of(kv, n);
    }

    static final String NOT_ALLOWLISTED = "not allowlisted";

    /** A key that names an advertising identifier: a known click id, also with a leading {@code _} (cookies). */
    static boolean isAdvertisingId(String key) {
        String k = key.startsWith("_") ? key.substring(1) : key;
        return dev.veil.core.policy.DestinationPolicy.KNOWN_CLICK_IDS.contains(k);
    }

    /**
     * The keys of an event object that no rule lists, as a deferred trace path: {@link Trace} expands it into one
     * entry per key, in the event's order, with the key names checked by {@link FieldPath#safeKey}. Holds the
     * event's node, which the engine never mutates.
     */
    record UnlistedKeys(JsonNode node, FieldTree tree, Object prefix) {
        void forEach(java.util.function.Consumer<FieldPath> action) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (tree.child(key) == null) {
                    action.accept(FieldPath.unchecked(prefix, key));
                }
            }
        }
    }

    private @Nullable Object apply(JsonNode v, FieldTree t, FieldPath path, EvaluationState st) {
        if (v.isObject()) {
            if (!t.hasChildren()) {
                st.trace(path, "dropped", "objects pass only allowlisted leaves");
                return null;
            }
            return filterObject(v, t, path, st);
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>(v.size());
            for (JsonNode e : v) {
                Object r = apply(e, t, FieldPath.element(path), st);
                if (r != null) {
                    list.add(r);
                }
            }
            return list.isEmpty() ? null : List.copyOf(list);
        }
        if (!v.isValueNode() || v.isNull()) {
            return null;
        }
        Transform rule = t.rule();
        if (rule == null) {
            st.trace(path, "dropped", NOT_ALLOWLISTED);
            return null;
        }
        return transform(v, rule, path, st);
    }

    /** Applies {@code rule} to a scalar; null means the field is dropped. */
    @Nullable
    Object transform(JsonNode v, Transform rule, Object path, EvaluationState st) {
        switch (rule) {
            case PASS -> {
                if (isMoneyField(path)) {
                    return money(v, path, st);
                }
                if (v.isTextual()) {
                    return st.scan(path, v.textValue());
                }
                if (v.isNumber()) {
                    return v.numberValue();
                }
                if (v.isBoolean()) {
                    return v.booleanValue();
                }
                st.trace(path, "dropped", "unsupported value type");
                return null;
            }
            case MASK -> {
                String text = v.asText();
                if (text.isBlank()) {
                    return null;
                }
                st.trace(path, "masked", "transform mask");
                return masker.mask(st.destinationId, st.keyVersion, text);
            }
            case ZIP3 -> {
                String text =
                        v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= 0 && v.longValue() < 100000
                                ? String.format("%05d", v.longValue())
                                : v.asText();
                return transformed(ValueTransforms.zip3(text), path, ZIP3, st);
            }
            case YEAR -> {
                return transformed(ValueTransforms.year(v.asText()), path, YEAR, st);
            }
            case AGE90 -> {
                return transformed(ValueTransforms.age90(v.asText()), path, AGE90, st);
            }
            case DROP -> {
                st.trace(path, "dropped", "transform drop");
                return null;
            }
        }
        return null;
    }

    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("-?\\d{1,15}(?:\\.\\d{1,4})?");

    /** A property whose name says it carries an amount ({@code privacy.money.fields}). */
    private boolean isMoneyField(Object path) {
        if (!(path instanceof FieldPath p)) {
            return false;
        }
        String leaf = p.leafKey();
        if (leaf == null) {
            return false;
        }
        for (String f : moneyFields) {
            if (f.equalsIgnoreCase(leaf)) {
                return p.root().equals("properties");
            }
        }
        return false;
    }

    /**
     * A money field passes as a number, or a plain decimal string, no larger than the maximum; anything else is
     * dropped rather than scanned, so a phone number written as revenue never becomes a vendor's value.
     */
    private @Nullable Object money(JsonNode v, Object path, EvaluationState st) {
        java.math.BigDecimal amount = null;
        if (v.isNumber() && !(v.isDouble() && !Double.isFinite(v.doubleValue()))) {
            amount = v.decimalValue();
        } else if (v.isTextual() && DECIMAL.matcher(v.textValue()).matches()) {
            amount = new java.math.BigDecimal(v.textValue());
        }
        if (amount == null) {
            st.trace(path, "dropped", "not a money amount (privacy.money)");
            return null;
        }
        if (amount.abs().compareTo(maxAmount) > 0) {
            st.trace(path, "dropped", "amount above privacy.money.maximum");
            return null;
        }
        return v.isNumber() ? v.numberValue() : v.textValue();
    }

    /** The trace rules of a value transform: applied, and value not recognized. */
    private record TransformRules(String applied, String unrecognized) {
        static TransformRules of(String name) {
            return new TransformRules("transform " + name, "transform " + name + ": value not recognized");
        }
    }

    private static final TransformRules ZIP3 = TransformRules.of("zip3");
    private static final TransformRules YEAR = TransformRules.of("year");
    private static final TransformRules AGE90 = TransformRules.of("age90");

    private static @Nullable Object transformed(
            Optional<?> result, Object path, TransformRules rules, EvaluationState st) {
        if (result.isEmpty()) {
            st.trace(path, "dropped", rules.unrecognized());
            return null;
        }
        st.trace(path, "transformed", rules.applied());
        return result.get();
    }
}

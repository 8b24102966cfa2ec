package dev.veil.core.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The words the policy YAML uses for enum constants: {@code CREDIT_CARD} is written {@code creditCard},
 * {@code DROP_EVENT} {@code dropEvent}. One rule for every enum keeps parser and exporter symmetric.
 */
public final class YamlNames {
    private YamlNames() {}

    /** The YAML word for a constant, e.g. {@code dropProperty}. */
    public static String word(Enum<?> constant) {
        String[] parts = constant.name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder sb = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            sb.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return sb.toString();
    }

    /** The constant written as {@code word} (exact, case-sensitive), if any. */
    public static <E extends Enum<E>> Optional<E> parse(Class<E> type, String word) {
        for (E e : type.getEnumConstants()) {
            if (word(e).equals(word)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** The accepted words, for messages: {@code drop, geo or pass}. */
    static String choices(Class<? extends Enum<?>> type) {
        List<String> words = new ArrayList<>();
        for (Enum<?> e : type.getEnumConstants()) {
            words.add(word(e));
        }
        return orList(words);
    }

    static String orList(List<String> words) {
        if (words.size() == 1) {
            return words.get(0);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }
}

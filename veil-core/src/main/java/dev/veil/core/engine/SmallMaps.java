package dev.veil.core.engine;

import java.util.Map;

/**
 * Builds the engine's output maps directly as immutable maps, so that {@code SafeEvent}'s defensive
 * {@code Map.copyOf} returns them as they are instead of copying a {@code LinkedHashMap} a second time.
 */
final class SmallMaps {

    private SmallMaps() {}

    /** An immutable map of the first {@code n / 2} key-value pairs of {@code kv}; the keys must be distinct. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Object[] kv, int n) {
        String[] k = new String[n / 2];
        for (int i = 0; i < k.length; i++) {
            k[i] = (String) kv[2 * i];
        }
        Object[] v = kv;
        return switch (n / 2) {
            case 0 -> Map.of();
            case 1 -> Map.of(k[0], v[1]);
            case 2 -> Map.of(k[0], v[1], k[1], v[3]);
            case 3 -> Map.of(k[0], v[1], k[1], v[3], k[2], v[5]);
            case 4 -> Map.of(k[0], v[1], k[1], v[3], k[2], v[5], k[3], v[7]);
            case 5 -> Map.of(k[0], v[1], k[1], v[3], k[2], v[5], k[3], v[7], k[4], v[9]);
            case 6 -> Map.of(k[0], v[1], k[1], v[3], k[2], v[5], k[3], v[7], k[4], v[9], k[5], v[11]);
            case 7 -> Map.of(k[0], v[1], k[1], v[3], k[2], v[5], k[3], v[7], k[4], v[9], k[5], v[11], k[6], v[13]);
            case 8 ->
                Map.of(
                        k[0], v[1], k[1], v[3], k[2], v[5], k[3], v[7], k[4], v[9], k[5], v[11], k[6], v[13], k[7],
                        v[15]);
            default -> {
                Map.Entry<String, Object>[] entries = new Map.Entry[k.length];
                for (int i = 0; i < k.length; i++) {
                    entries[i] = Map.entry(k[i], v[2 * i + 1]);
                }
                yield Map.ofEntries(entries);
            }
        };
    }
}

package dev.veil.console.traffic;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * PHI scanner redactions by detector since the process started (the Overview's chart), counted from the
 * decisions' traces: names and counts only. Thread-safe.
 */
public final class PhiCounts {

    private final Map<String, LongAdder> byDetector = new ConcurrentHashMap<>();

    void add(String detector) {
        byDetector.computeIfAbsent(detector, d -> new LongAdder()).increment();
    }

    /** Counts by detector name, sorted by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        byDetector.forEach((d, n) -> out.put(d, n.sum()));
        return out;
    }
}

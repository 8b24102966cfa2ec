package dev.veil.api;

import java.util.Locale;
import java.util.Optional;

/** The Segment call types Veil accepts and forwards. */
public enum EventType {
    TRACK,
    PAGE,
    SCREEN,
    IDENTIFY,
    GROUP,
    ALIAS;

    /** Computed once: ingest asks for it several times per event (lower-casing showed in its CPU profile). */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used on the wire ({@code "track"}, {@code "page"}, ...). */
    public String wireName() {
        return wireName;
    }

    /** Parses a wire name; empty when it is not a known type. */
    public static Optional<EventType> fromWire(String wire) {
        for (EventType t : values()) {
            if (t.wireName().equals(wire)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}

package dev.veil.core.engine;

import dev.veil.api.SafeEvent;
import java.util.List;

/** The engine's answer for one event and one destination. */
public sealed interface Decision {

    /** The PHI-free trace of the decision (fields dropped, masked, transformed, redacted, and by which rule). */
    List<TraceEntry> trace();

    /** How many distinct fields the PHI scanner redacted (cheap: does not render the trace when there are none). */
    default int redactions() {
        return trace() instanceof Trace t
                ? t.count("redacted")
                : (int) trace().stream()
                        .filter(e -> e.action().equals("redacted"))
                        .count();
    }

    /** The destination receives {@code event}. */
    record Forward(SafeEvent event, List<TraceEntry> trace) implements Decision {
        public Forward {
            trace = immutable(trace);
        }
    }

    /**
     * The destination receives nothing of this event.
     *
     * @param reason a machine-readable reason, e.g. {@code event_not_allowed}, {@code consent_denied},
     *     {@code destination_disabled}, {@code sensitive_page}, {@code phi_detected}, {@code type_not_allowed}
     * @param detail a PHI-free sentence for people
     */
    record Dropped(String reason, String detail, List<TraceEntry> trace) implements Decision {
        public Dropped {
            trace = immutable(trace);
        }
    }

    /**
     * One step of a decision: never contains a value, only field paths, actions and rules.
     *
     * @param field the field path, e.g. {@code properties.patient_name} or {@code context.page.url}
     * @param action what happened: {@code dropped}, {@code masked}, {@code transformed}, {@code redacted},
     *     {@code passed}, {@code generalized}, {@code sanitized}
     * @param rule the rule responsible, e.g. {@code not allowlisted}, {@code transform zip3}, {@code detector email}
     */
    record TraceEntry(String field, String action, String rule) {}

    /** The engine's own traces are already immutable (and rendered lazily); anything else is copied. */
    private static List<TraceEntry> immutable(List<TraceEntry> trace) {
        return trace instanceof Trace ? trace : List.copyOf(trace);
    }
}

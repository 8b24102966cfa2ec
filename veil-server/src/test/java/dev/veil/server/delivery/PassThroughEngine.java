package dev.veil.server.delivery;

import dev.veil.api.SafeContext;
import dev.veil.api.SafeEvent;
import dev.veil.core.engine.Decision;
import dev.veil.core.engine.PrivacyEngine;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import java.util.List;
import java.util.Map;

/**
 * A stand-in privacy engine: forwards every event of an enabled destination as a bare SafeEvent, drops events
 * whose {@code event} name is {@code Drop Me} (reason {@code event_not_allowed}), and reports one redaction for
 * events named {@code Redact Me}.
 */
final class PassThroughEngine implements PrivacyEngine {
    @Override
    public Decision evaluate(RawEvent event, DestinationPolicy destination) {
        String name = event.message().path("event").asText("");
        if (!destination.enabled()) {
            return new Decision.Dropped("destination_disabled", "destination is disabled", List.of());
        }
        if (name.equals("Drop Me")) {
            return new Decision.Dropped(
                    "event_not_allowed",
                    "not allowlisted",
                    List.of(new Decision.TraceEntry("event", "dropped", "not allowlisted")));
        }
        List<Decision.TraceEntry> trace = name.equals("Redact Me")
                ? List.of(new Decision.TraceEntry("properties.note", "redacted", "detector email"))
                : List.of();
        SafeEvent safe = new SafeEvent(
                destination.id(),
                event.type(),
                event.messageId(),
                event.timestamp(),
                name,
                null,
                "visitor-" + event.sourceId(),
                null,
                null,
                Map.of(),
                Map.of(),
                SafeContext.EMPTY);
        return new Decision.Forward(safe, trace);
    }
}

package dev.veil.server.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.veil.api.EventType;
import dev.veil.core.event.RawEvent;
import dev.veil.core.policy.DestinationPolicy;
import dev.veil.core.policy.Policy;
import dev.veil.core.policy.PrivacySettings;
import dev.veil.core.policy.SettingValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds events and policies for delivery tests. */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {}

    public static RawEvent track(String messageId, String name) {
        ObjectNode message = JSON.createObjectNode()
                .put("type", "track")
                .put("messageId", messageId)
                .put("event", name)
                .put("anonymousId", "a-1");
        Instant now = Instant.parse("2026-11-29T05:00:00Z");
        return new RawEvent("web", messageId, EventType.TRACK, now, now, message, "203.0.113.9", null, false);
    }

    static List<RawEvent> tracks(String prefix, int n) {
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(track(prefix + i, "Signed Up"));
        }
        return events;
    }

    static DestinationPolicy destination(String id, String url) {
        return destination(id, url, true);
    }

    static DestinationPolicy destination(String id, String url, boolean enabled) {
        return new DestinationPolicy(
                id,
                "test",
                id,
                enabled,
                false,
                List.of(),
                Map.of("url", new SettingValue.Literal(url)),
                DestinationPolicy.Identity.DEFAULTS,
                DestinationPolicy.Context.DEFAULTS,
                DestinationPolicy.Events.NONE,
                Map.of(),
                Map.of(),
                Map.of());
    }

    static Policy policy(DestinationPolicy... destinations) {
        return new Policy(1, PrivacySettings.DEFAULTS, List.of(), List.of(destinations));
    }

    /** A connector provider that builds {@link TestConnector}s from the {@code url} setting. */
    static ConnectorProvider connectors(int maxEvents) {
        return d -> new TestConnector(
                String.valueOf(((SettingValue.Literal) d.settings().get("url")).value()), maxEvents);
    }
}
